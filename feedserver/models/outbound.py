"""Outbound webhooks: subscriptions, the transactional outbox and each delivery attempt."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.orm import JSONType, created_at, intpk, utcnow
from feedserver.secrets_at_rest import EncryptedText


class Subscription(db.Model):
    """A URL that hears about feed events of some types, signed with its own secret."""

    __tablename__ = "subscriptions"

    id: Mapped[intpk]
    url: Mapped[str] = mapped_column(sa.String(2048))
    # "record.updated", "post.created", ... or "*" for every event type.
    event_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Only items about these record types; empty means all.
    record_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Encrypted at rest: signing needs the secret itself.
    secret: Mapped[str] = mapped_column(EncryptedText)
    description: Mapped[str | None] = mapped_column(sa.String(255))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Set when an integration owns the subscription; it then never hears its own changes.
    integration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("integrations.id", ondelete="CASCADE"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True, index=True)
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(255))
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]


class OutboxMessage(db.Model):
    """One event owed to one subscription, written in the event's own transaction."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[intpk]
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    # The webhook-id header: the same for every retry, so receivers can deduplicate.
    message_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    event_type: Mapped[str] = mapped_column(sa.String(40))
    item_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # pending → delivered | failed (retries exhausted, subscription gone or disabled)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[created_at]
    delivered_at: Mapped[datetime | None]

    subscription: Mapped[Subscription] = relationship()


class DeliveryAttempt(db.Model):
    """One HTTP attempt to deliver an outbox message: the delivery log admins read."""

    __tablename__ = "delivery_attempts"

    id: Mapped[intpk]
    outbox_message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True
    )
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    succeeded: Mapped[bool] = mapped_column(default=False)
