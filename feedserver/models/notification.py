"""In-app notifications, grouped per subject while unread, and who wants which kinds."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import JSONType, created_at, intpk, utcnow

NOTIFICATION_KINDS = ("mention", "comment", "like", "follow", "best_answer", "join_request")


class Notification(db.Model):
    """One line in a person's notification list; several actors fold into one while unread."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user", "user_id", "id"),
        sa.Index("ix_notifications_group", "user_id", "group_key", "read_at"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    # Notifications with the same key fold together ("like:item:7").
    group_key: Mapped[str] = mapped_column(sa.String(80))
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    # Most recent first; the list shows the first and "and N others".
    actor_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationSetting(db.Model):
    """A person turning one kind of notification off (absent row: on)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
