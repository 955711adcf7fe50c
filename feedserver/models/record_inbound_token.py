"""A revocable secret URL through which a simple system posts to one record's feed."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedserver.extensions import db
from feedserver.models.record import Record
from feedserver.models.user import User
from feedserver.orm import created_at, intpk


class RecordInboundToken(db.Model):
    """Only the token's SHA-256 digest is stored; the URL is shown once."""

    __tablename__ = "record_inbound_tokens"

    id: Mapped[intpk]
    record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    # Posts through the URL appear as this bot, named after what the token is for.
    bot_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
    revoked_at: Mapped[datetime | None]

    record: Mapped[Record] = relationship()
    bot_user: Mapped[User] = relationship(foreign_keys=[bot_user_id])
