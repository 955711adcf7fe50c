"""Standard Webhooks signing secrets for integrations: issue, rotate with a grace period."""

import base64
import secrets
from datetime import datetime, timedelta

from feedserver.extensions import db
from feedserver.models import Integration, IntegrationSecret
from feedserver.orm import utcnow

SECRET_PREFIX = "whsec_"


def new_signing_secret() -> str:
    """A fresh secret in the Standard Webhooks form: whsec_ + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def add_secret(integration: Integration) -> str:
    """Give the integration a new current secret; returns it (shown once)."""
    plaintext = new_signing_secret()
    db.session.add(IntegrationSecret(integration=integration, secret=plaintext))
    db.session.flush()
    return plaintext


def rotate_secret(integration: Integration, grace_seconds: int, now: datetime | None = None) -> str:
    """Issue a new secret; the current ones keep verifying for `grace_seconds`, then expire."""
    now = now or utcnow()
    expires = now + timedelta(seconds=max(grace_seconds, 0))
    for old in integration.secrets:
        if old.expires_at is None or old.expires_at > expires:
            old.expires_at = expires
    return add_secret(integration)


def valid_secrets(integration: Integration, now: datetime | None = None) -> list[str]:
    """The secrets a signature may be made with right now, newest first."""
    now = now or utcnow()
    return [s.secret for s in integration.secrets if s.expires_at is None or s.expires_at > now]
