"""Create, find, change and disable integrations; each acts through its own bot user."""

import re
import secrets as random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from feedserver.auth.tokens import issue_token, user_for_token
from feedserver.auth.users import create_user
from feedserver.extensions import db
from feedserver.integrations.secrets import add_secret
from feedserver.models import ApiToken, Integration, User
from feedserver.models.record import NATIVE_SOURCE
from feedserver.orm import utcnow

VENDORS = ("salesforce", "hubspot", "pipedrive")
# Credentials each vendor's checks read (see docs/webhooks.md); nothing else is stored.
CREDENTIAL_KEYS = {
    "salesforce": ("organization_ids",),
    "hubspot": ("client_secrets",),
    "pipedrive": ("basic_username", "basic_password"),
}
_SOURCE = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")


class IntegrationError(ValueError):
    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


@dataclass
class NewIntegration:
    """A just-created integration with its token and signing secret, shown only this once."""

    integration: Integration
    token: str
    signing_secret: str


def create_integration(
    name: str,
    *,
    vendor: str | None = None,
    source: str | None = None,
    credentials: dict[str, Any] | None = None,
    mapping: dict[str, Any] | None = None,
    user_map: dict[str, str] | None = None,
    rate_limit: str | None = None,
) -> NewIntegration:
    """Create an integration, its bot user, an API token and a signing secret."""
    name = name.strip()
    if not name:
        raise IntegrationError("name must not be empty", "name")
    if db.session.scalar(sa.select(Integration.id).where(Integration.name == name)):
        raise IntegrationError(f"an integration named {name!r} exists", "name", status=409)
    if vendor is not None and vendor not in VENDORS:
        raise IntegrationError(f"unknown vendor {vendor!r}; one of {', '.join(VENDORS)}", "vendor")
    source = source or vendor or NATIVE_SOURCE
    if not _SOURCE.match(source):
        raise IntegrationError("source must be a short lowercase name", "source")
    # Bots never sign in: no password, an address under a reserved domain (RFC 2606).
    bot = create_user(
        f"integration-{random.token_hex(6)}@bots.invalid", f"{name} (integration)", is_bot=True
    )
    integration = Integration(name=name, vendor=vendor, source=source, bot_user_id=bot.id)
    db.session.add(integration)
    configure(
        integration,
        credentials=credentials,
        mapping=mapping,
        user_map=user_map,
        rate_limit=rate_limit,
    )
    db.session.flush()
    _, token = issue_token(bot, f"integration {name}")
    return NewIntegration(integration, token, add_secret(integration))


def configure(
    integration: Integration,
    *,
    credentials: dict[str, Any] | None = None,
    mapping: dict[str, Any] | None = None,
    user_map: dict[str, str] | None = None,
    rate_limit: str | None = None,
) -> None:
    """Replace whichever settings are given, after checking them."""
    if credentials is not None:
        allowed = CREDENTIAL_KEYS.get(integration.vendor or "", ())
        unknown = sorted(set(credentials) - set(allowed))
        if unknown:
            raise IntegrationError(
                f"unknown credential {unknown[0]!r} for vendor {integration.vendor!r}",
                "credentials",
            )
        integration.credentials = dict(credentials)
    if mapping is not None:
        _check_mapping(integration.vendor, mapping)
        integration.mapping = dict(mapping)
    if user_map is not None:
        integration.user_map = {str(k): v.strip().lower() for k, v in user_map.items()}
    if rate_limit is not None:
        _check_rate_limit(rate_limit)
        integration.rate_limit = rate_limit or None


def set_enabled(integration: Integration, enabled: bool) -> None:
    """Switch an integration on or off; off, its token and signatures are refused everywhere."""
    integration.enabled = enabled
    # The bot is the token's user: an inactive bot fails every Bearer check in the API too.
    integration.bot_user.active = enabled


def reissue_token(integration: Integration) -> str:
    """Revoke the integration's API tokens and issue a new one (shown once)."""
    now = utcnow()
    for token in db.session.scalars(
        sa.select(ApiToken).where(
            ApiToken.user_id == integration.bot_user_id, ApiToken.revoked_at.is_(None)
        )
    ):
        token.revoked_at = now
    return issue_token(integration.bot_user, f"integration {integration.name}")[1]


def integration_for_bot(user: User | None) -> Integration | None:
    """The enabled integration acting as this bot user, if any."""
    if user is None or not user.is_bot:
        return None
    integration = db.session.scalar(
        sa.select(Integration).where(Integration.bot_user_id == user.id)
    )
    return integration if integration is not None and integration.enabled else None


def integration_for_token(token: str) -> Integration | None:
    """The enabled integration a Bearer token belongs to, or None."""
    return integration_for_bot(user_for_token(token))


def find_integration(ref: str | int) -> Integration | None:
    """Look an integration up by id or by name (for the CLI)."""
    if isinstance(ref, int) or str(ref).isdigit():
        found = db.session.get(Integration, int(ref))
        if found is not None:
            return found
    return db.session.scalar(sa.select(Integration).where(Integration.name == str(ref)))


def _check_mapping(vendor: str | None, mapping: dict[str, Any]) -> None:
    if not mapping:
        return
    if vendor is None:
        raise IntegrationError("only vendor integrations have a mapping", "mapping")
    from feedserver.webhooks.changes import InboundError
    from feedserver.webhooks.vendors.mapping import mapping_from_config

    try:
        mapping_from_config(vendor, mapping)
    except InboundError as exc:
        raise IntegrationError(f"mapping: {exc.message}", "mapping") from None


def _check_rate_limit(value: str) -> None:
    if not value:
        return
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise IntegrationError(
            f"rate_limit {value!r} is not like '600/minute'", "rate_limit"
        ) from None
