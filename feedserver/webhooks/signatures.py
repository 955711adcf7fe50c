"""Authenticate our own format: Standard Webhooks signatures or the integration's token."""

import binascii
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from feedserver.auth.tokens import bearer_token
from feedserver.extensions import db
from feedserver.integrations.secrets import valid_secrets
from feedserver.integrations.service import integration_for_token
from feedserver.models import Integration
from feedserver.webhooks.changes import InboundError

SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def signature_matches(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Check a Standard Webhooks signature (and its 5-minute window) with the reference library."""
    try:
        Webhook(secret).verify(body, dict(headers), json_parse=False)
    except (WebhookVerificationError, ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return True


def authenticate_ours(
    headers: Mapping[str, str], body: bytes, integration_ref: str | None
) -> Integration:
    """The integration that signed the request or whose token it carries, else 401."""
    token = bearer_token(headers.get("Authorization"))
    if token:
        integration = integration_for_token(token)
        if integration is None:
            raise InboundError("unknown, revoked or disabled integration token", 401)
        return integration
    signed = {name: headers.get(name) for name in SIGNATURE_HEADERS}
    if not all(signed.values()):
        raise InboundError(
            "send Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature)"
            " or Authorization: Bearer <integration token>",
            401,
        )
    for integration in _candidates(integration_ref):
        if any(signature_matches(s, body, signed) for s in valid_secrets(integration)):
            return integration
    raise InboundError("signature does not verify (or its timestamp is outside 5 minutes)", 401)


def _candidates(integration_ref: str | None) -> list[Integration]:
    query = (
        sa.select(Integration)
        .where(Integration.enabled.is_(True), Integration.vendor.is_(None))
        .options(joinedload(Integration.secrets))  # checked next: one query, not two
    )
    if integration_ref is not None:
        if not integration_ref.isdigit():
            return []
        query = query.where(Integration.id == int(integration_ref))
    # Without ?integration=<id> every own-format integration's secrets are tried (a handful).
    return list(db.session.scalars(query.order_by(Integration.id)).unique())
