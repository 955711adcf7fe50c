"""CRM records (accounts, deals, contacts, cases, visits) and their types' tracked fields."""

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.user import User
from feedserver.orm import JSONType, created_at, intpk, utcnow

NATIVE_SOURCE = "feedserver"


class RecordType(db.Model):
    """A kind of CRM record and the fields whose changes become feed items."""

    __tablename__ = "record_types"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    tracked_fields: Mapped[list[str]] = mapped_column(JSONType, default=list)


class Record(db.Model):
    __tablename__ = "records"
    # Vendor ids are unique per object type (HubSpot deal 7 and contact 7 may both exist).
    __table_args__ = (sa.UniqueConstraint("source", "type_key", "external_id"),)

    id: Mapped[intpk]
    type_key: Mapped[str] = mapped_column(sa.ForeignKey("record_types.key"), index=True)
    source: Mapped[str] = mapped_column(sa.String(40), default=NATIVE_SOURCE)
    external_id: Mapped[str | None] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(255))
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("records.id", ondelete="SET NULL"), index=True
    )
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]

    owner: Mapped[User | None] = relationship()
    account: Mapped[Optional["Record"]] = relationship(remote_side="Record.id")
    record_type: Mapped[RecordType] = relationship()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Record {self.type_key}:{self.id} {self.name!r}>"
