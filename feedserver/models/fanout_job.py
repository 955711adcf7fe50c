"""A large fan-out left to finish in the background, durable across restarts."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import JSONType, created_at, intpk


class FanoutJob(db.Model):
    """Recipients computed at write time; `position` says how many already have their row."""

    __tablename__ = "fanout_jobs"

    id: Mapped[intpk]
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("feed_items.id", ondelete="CASCADE"))
    recipients: Mapped[list[int]] = mapped_column(JSONType)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
