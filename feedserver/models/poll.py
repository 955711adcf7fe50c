"""Polls attached to posts, and questions whose asker picks a best answer."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import created_at, intpk


class PollChoice(db.Model):
    __tablename__ = "poll_choices"
    __table_args__ = (sa.Index("ix_poll_choices_item", "item_id", "position"),)

    id: Mapped[intpk]
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("feed_items.id", ondelete="CASCADE"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(200))


class PollVote(db.Model):
    """One person's vote in one poll; changing it replaces the choice."""

    __tablename__ = "poll_votes"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    choice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("poll_choices.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]


class BestAnswer(db.Model):
    """The comment a question's asker marked as the best answer."""

    __tablename__ = "best_answers"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), primary_key=True
    )
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    created_at: Mapped[created_at]
