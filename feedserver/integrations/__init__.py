"""Integrations: other systems' identities (bot user, API token, signing secrets)."""
