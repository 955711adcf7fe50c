"""The event log: one row per thing that happened, in Activity Streams terms."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.user import User
from feedserver.orm import JSONType, created_at, intpk, utcnow


class FeedItem(db.Model):
    """actor · verb · object (· target), with field changes for record updates."""

    __tablename__ = "feed_items"
    __table_args__ = (
        sa.Index("ix_feed_items_object", "object_kind", "object_id", "id"),
        sa.Index("ix_feed_items_target", "target_kind", "target_id", "id"),
        sa.Index("ix_feed_items_actor", "actor_id", "id"),
    )

    id: Mapped[intpk]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    verb: Mapped[str] = mapped_column(sa.String(40), index=True)
    object_kind: Mapped[str | None] = mapped_column(sa.String(20))
    object_id: Mapped[int | None]
    target_kind: Mapped[str | None] = mapped_column(sa.String(20))
    target_id: Mapped[int | None]
    # The record type the item is about, kept here so feeds filter without a join.
    record_type: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    published: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    body: Mapped[str | None] = mapped_column(sa.Text)
    # The body rendered from Markdown and sanitised once, at write time.
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # Items in a group are seen only by those the group admits (see feed.visibility).
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    source: Mapped[str] = mapped_column(sa.String(40), default="feedserver")
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Bumped by new comments, so feeds can sort by latest activity.
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    comment_count: Mapped[int] = mapped_column(default=0)
    like_count: Mapped[int] = mapped_column(default=0)

    actor: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<FeedItem {self.id} {self.verb} {self.object_kind}:{self.object_id}>"
