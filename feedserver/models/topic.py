"""#topics parsed from post bodies, and which items carry them."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import created_at, intpk, utcnow


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[intpk]
    # Lower-cased, so #Renewals and #renewals are one topic.
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[created_at]


class ItemTopic(db.Model):
    """A feed item tagged with a topic; created_at feeds the trending counts."""

    __tablename__ = "item_topics"
    __table_args__ = (sa.Index("ix_item_topics_topic", "topic_id", "item_id"),)

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
