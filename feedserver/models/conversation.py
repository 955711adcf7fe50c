"""What people add to feed items: comments, likes, bookmarks and mutes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.user import User
from feedserver.orm import created_at, intpk

LIKEABLE_KINDS = ("item", "comment")
MUTABLE_KINDS = ("item", "record", "user")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (sa.Index("ix_comments_item", "item_id", "id"),)

    id: Mapped[intpk]
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("feed_items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    like_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(lazy="joined")


class Like(db.Model):
    """One person liking one item or comment."""

    __tablename__ = "likes"
    __table_args__ = (
        sa.UniqueConstraint("subject_kind", "subject_id", "user_id"),
        sa.Index("ix_likes_user", "user_id"),
    )

    id: Mapped[intpk]
    subject_kind: Mapped[str] = mapped_column(sa.String(10))
    subject_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(lazy="joined")


class Bookmark(db.Model):
    __tablename__ = "bookmarks"
    __table_args__ = (sa.UniqueConstraint("user_id", "item_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]


class Mute(db.Model):
    """A person silencing an item, a record or a colleague without unfollowing."""

    __tablename__ = "mutes"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "subject_kind", "subject_id"),
        sa.Index("ix_mutes_subject", "subject_kind", "subject_id", "user_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(sa.String(10))
    subject_id: Mapped[int]
    created_at: Mapped[created_at]
