"""Publish feed items, fan them out to inboxes, and read feeds back."""
