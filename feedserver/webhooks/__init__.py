"""Inbound webhooks: verify, store raw, translate vendor formats, apply as record changes."""
