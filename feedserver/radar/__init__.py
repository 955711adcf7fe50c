"""The team radar: a manager's live view of the visits made below them."""
