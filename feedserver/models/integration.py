"""Other systems as first-class users: an integration, its bot identity and signing secrets."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.user import User
from feedserver.orm import JSONType, created_at, intpk
from feedserver.secrets_at_rest import EncryptedJSON, EncryptedText


class Integration(db.Model):
    """A CRM, ERP or script allowed to push changes in; it acts as its bot user."""

    __tablename__ = "integrations"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    # None for our own event format; "salesforce", "hubspot" or "pipedrive" for theirs.
    vendor: Mapped[str | None] = mapped_column(sa.String(40))
    # Record.source of the records it creates: external ids are unique within a source.
    source: Mapped[str] = mapped_column(sa.String(40))
    bot_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    # Vendor credentials (HubSpot client secrets, Pipedrive Basic auth, Salesforce org ids).
    credentials: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    # Overrides of the vendor's default object/field mapping (see webhooks/vendors/mapping.py).
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Vendor user id → our user's email, for payloads that name people by id.
    user_map: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    # Flask-Limiter notation ("600/minute"); None means the configured default.
    rate_limit: Mapped[str | None] = mapped_column(sa.String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]

    bot_user: Mapped[User] = relationship()
    secrets: Mapped[list["IntegrationSecret"]] = relationship(
        back_populates="integration", order_by="IntegrationSecret.id.desc()"
    )

    def __repr__(self) -> str:
        return f"<Integration {self.id} {self.name!r}>"


class IntegrationSecret(db.Model):
    """A Standard Webhooks signing secret; a rotated one verifies until it expires."""

    __tablename__ = "integration_secrets"

    id: Mapped[intpk]
    integration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("integrations.id", ondelete="CASCADE"), index=True
    )
    # Recoverable because verifying an HMAC needs the key: encrypted at rest, never returned.
    secret: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime | None]

    integration: Mapped[Integration] = relationship(back_populates="secrets")
