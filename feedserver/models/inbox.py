"""Per-recipient feed rows: what each person's home feed and live delivery read."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.feed_item import FeedItem


class InboxEntry(db.Model):
    """One item delivered to one recipient, at that recipient's next sequence number."""

    __tablename__ = "inbox"
    __table_args__ = (sa.UniqueConstraint("user_id", "item_id"),)

    # (user_id, seq) is the primary key, so a home feed page is one index range scan.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), index=True
    )
    read_at: Mapped[datetime | None]

    item: Mapped[FeedItem] = relationship()
