"""Who follows what: a user follows a colleague or a record, with no cap."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import created_at, intpk

# What can be followed; later features add more kinds (topics, groups).
FOLLOWABLE_KINDS = ("user", "record", "topic", "group")


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("follower_id", "subject_kind", "subject_id"),
        # Fan-out asks "who follows this subject?"; this index answers it.
        sa.Index("ix_follows_subject", "subject_kind", "subject_id", "follower_id"),
    )

    id: Mapped[intpk]
    follower_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    created_at: Mapped[created_at]
