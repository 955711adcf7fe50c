"""Groups of colleagues: public or private, with owner, manager and member roles."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import created_at, intpk

GROUP_VISIBILITIES = ("public", "private")
GROUP_ROLES = ("owner", "manager", "member")


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    visibility: Mapped[str] = mapped_column(sa.String(10), default="public")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    archived_at: Mapped[datetime | None]

    @property
    def is_private(self) -> bool:
        return self.visibility == "private"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class GroupMember(db.Model):
    """A person's membership of a group, with their role in it."""

    __tablename__ = "group_members"
    __table_args__ = (sa.Index("ix_group_members_user", "user_id", "group_id"),)

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    created_at: Mapped[created_at]


class GroupJoinRequest(db.Model):
    """A request to join a private group, waiting for a manager's decision."""

    __tablename__ = "group_join_requests"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[created_at]
