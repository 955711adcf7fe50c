"""People in the organisation (and the bot identities of integrations)."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.orm import created_at, intpk, str255


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(255), unique=True, index=True)
    name: Mapped[str255]
    title: Mapped[str255 | None]
    department: Mapped[str255 | None]
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    avatar_url: Mapped[str | None] = mapped_column(sa.String(1024))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Integrations act through a bot user so they appear as the actor in the feed.
    is_bot: Mapped[bool] = mapped_column(default=False)
    # Whether the manager chain gets this person's client visits automatically (admin setting).
    share_visits_with_managers: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[created_at]

    manager: Mapped[Optional["User"]] = relationship(
        remote_side="User.id", back_populates="reports"
    )
    reports: Mapped[list["User"]] = relationship(back_populates="manager")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot sign in
        return self.active

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class InboxCounter(db.Model):
    """The last inbox sequence number handed to a user; bumped under a row lock in fan-out."""

    __tablename__ = "inbox_counters"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters, kept so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


@sa.event.listens_for(User, "after_insert")
def _open_inbox(mapper, connection, user: User) -> None:
    """Give every new user an inbox counter, so fan-out can always number their rows."""
    connection.execute(sa.insert(InboxCounter).values(user_id=user.id, last_seq=0))
