"""Full-text search over posts, comments, tracked changes, records and people."""
