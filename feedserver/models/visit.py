"""A client visit's own facts beside its record: who may see it, when and where it happened."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.record import Record
from feedserver.orm import utcnow

# team: the rep's reporting line and followers; company: everyone; private: rep and admins.
VISIT_VISIBILITIES = ("team", "company", "private")
VISIT_STATUSES = ("planned", "checked_in", "completed")


class Visit(db.Model):
    """One row per visit record; the rep is the record's owner, the account its account."""

    __tablename__ = "visits"
    __table_args__ = (sa.Index("ix_visits_visited_at_record", "visited_at", "record_id"),)

    record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    visibility: Mapped[str] = mapped_column(sa.String(10), default="team", server_default="team")
    # When the visit happened (its check-in when there is one); radar counts go by it.
    visited_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(sa.String(255))
    deal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("records.id", ondelete="SET NULL"), index=True
    )

    record: Mapped[Record] = relationship(foreign_keys=[record_id])
    deal: Mapped[Record | None] = relationship(foreign_keys=[deal_id])

    def __repr__(self) -> str:
        return f"<Visit {self.record_id} {self.visibility}>"


def _visit_time(fields: dict, fallback: datetime) -> datetime:
    """When a visit record says it happened: its visited_at or check_in_at field, if readable."""
    for name in ("visited_at", "check_in_at"):
        value = (fields or {}).get(name)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return fallback


@sa.event.listens_for(Record, "after_insert")
def _open_visit(mapper, connection, record: Record) -> None:
    """Give every visit record its visit row, whichever path created it (API, CRM, demo)."""
    if record.type_key != "visit":
        return
    visited_at = _visit_time(record.fields, record.created_at or utcnow())
    connection.execute(
        sa.insert(Visit).values(record_id=record.id, visibility="team", visited_at=visited_at)
    )
