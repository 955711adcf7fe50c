"""Outbound webhooks: subscriptions, a transactional outbox, a signing delivery worker."""
