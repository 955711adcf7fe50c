"""Conversations on feed items: posts, comments, likes, shares, mentions, topics, polls."""
