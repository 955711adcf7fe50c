"""Per-recipient feed rows: what each person's home feed and live delivery read."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db


class InboxEntry(db.Model):
    """One item delivered to one recipient, at that recipient's next sequence number.

    No foreign keys, on purpose: rows are written only by feed.publish.fan_out, whose user ids
    come from inbox_counters (which has one to users) and whose item was written in the same
    transaction, and neither users nor items are ever deleted (they are deactivated, removed).
    PostgreSQL checks a foreign key row by row, and the two checks were more than half the cost
    of writing a 1,000-follower fan-out (docs/benchmarks.md).
    """

    __tablename__ = "inbox"
    # Led by item_id, it also serves the lookups by item: each index costs every fan-out a write
    # per recipient, so there is no separate one on item_id.
    __table_args__ = (sa.UniqueConstraint("item_id", "user_id"),)

    # (user_id, seq) is the primary key, so a home feed page is one index range scan.
    user_id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    item_id: Mapped[int]
    read_at: Mapped[datetime | None]
