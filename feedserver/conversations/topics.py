"""#topics: tag items with the topics their bodies name, topic feeds, and trending counts."""

from datetime import timedelta

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import FeedItem, ItemTopic, Topic
from feedserver.orm import utcnow


def topics_named(names: set[str]) -> list[Topic]:
    """The topics with these (lower-case) names, creating the missing ones."""
    if not names:
        return []
    existing = {
        t.name: t for t in db.session.scalars(sa.select(Topic).where(Topic.name.in_(names)))
    }
    for name in sorted(names - existing.keys()):
        topic = Topic(name=name)
        db.session.add(topic)
        existing[name] = topic
    db.session.flush()
    return [existing[name] for name in sorted(names)]


def tag_item(item: FeedItem, names: set[str]) -> list[Topic]:
    """Make the item's topics exactly `names` (an edit may add or drop some)."""
    topics = topics_named(names)
    wanted = {t.id for t in topics}
    current = set(
        db.session.scalars(sa.select(ItemTopic.topic_id).where(ItemTopic.item_id == item.id))
    )
    if current - wanted:
        db.session.execute(
            sa.delete(ItemTopic).where(
                ItemTopic.item_id == item.id, ItemTopic.topic_id.in_(current - wanted)
            )
        )
    for topic_id in sorted(wanted - current):
        db.session.add(ItemTopic(item_id=item.id, topic_id=topic_id))
    db.session.flush()
    return topics


def find_topic(name: str) -> Topic | None:
    return db.session.scalar(sa.select(Topic).where(Topic.name == name.lower().lstrip("#")))


def topic_items(topic_id: int):
    """A SELECT of the ids of items tagged with the topic (callers add visibility)."""
    return sa.select(ItemTopic.item_id).where(ItemTopic.topic_id == topic_id)


def trending(visible_clause, days: int, limit: int) -> list[tuple[Topic, int]]:
    """Topics by how many visible items used them in the last `days` days, most first."""
    since = utcnow() - timedelta(days=days)
    count = sa.func.count(ItemTopic.item_id).label("uses")
    rows = db.session.execute(
        sa.select(Topic, count)
        .join(ItemTopic, ItemTopic.topic_id == Topic.id)
        .join(FeedItem, FeedItem.id == ItemTopic.item_id)
        .where(ItemTopic.created_at >= since, visible_clause)
        .group_by(Topic.id)
        .order_by(count.desc(), Topic.name)
        .limit(limit)
    ).all()
    return [(topic, uses) for topic, uses in rows]
