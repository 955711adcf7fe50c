"""Inbound webhook requests stored raw, and the events each was translated into."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.orm import JSONType, intpk, utcnow

# A request: received → processed (every event handled) | rejected (body refused).
# An event: received → processed | failed (kept with its error, replayable) | ignored (gap).
EVENT_STATUSES = ("received", "processed", "failed", "ignored")


class InboundMessage(db.Model):
    """One authenticated webhook request exactly as received, stored before processing."""

    __tablename__ = "inbound_messages"
    # A sender's message id (webhook-id) makes a redelivery recognisable.
    __table_args__ = (sa.UniqueConstraint("integration_id", "message_id"),)

    id: Mapped[intpk]
    integration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("integrations.id", ondelete="CASCADE"), index=True
    )
    # "feedserver" (our format), "salesforce_cdc", "salesforce_outbound", "hubspot", "pipedrive".
    endpoint: Mapped[str] = mapped_column(sa.String(40))
    message_id: Mapped[str | None] = mapped_column(sa.String(255))
    url: Mapped[str] = mapped_column(sa.String(2048))
    headers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[str] = mapped_column(sa.String(20), default="received")
    error: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    events: Mapped[list["InboundEvent"]] = relationship(
        back_populates="message", order_by="InboundEvent.position"
    )


class InboundEvent(db.Model):
    """One change a request carried; its dedupe key makes it happen at most once."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        sa.UniqueConstraint("integration_id", "dedupe_key"),
        sa.Index("ix_inbound_events_status", "status", "id"),
    )

    id: Mapped[intpk]
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("inbound_messages.id", ondelete="CASCADE"), index=True
    )
    integration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("integrations.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    dedupe_key: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(40))
    record_type: Mapped[str | None] = mapped_column(sa.String(40))
    external_id: Mapped[str | None] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(20), default="received")
    error: Mapped[str | None] = mapped_column(sa.Text)
    warnings: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # What processing made: {"record_id": .., "item_id": .., "created": ..}.
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]

    message: Mapped[InboundMessage] = relationship(back_populates="events")
