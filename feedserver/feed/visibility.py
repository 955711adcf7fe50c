"""The one place that decides who may see what; every read and every fan-out asks here.

Client visits are restricted by their own visibility (team, company, private); the rules are
in feed.visit_visibility and every check here applies them.
"""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visit_visibility import (
    visible_visit_items,
    visible_visit_records,
    visit_viewers,
)
from feedserver.models import FeedItem, Record, User


def visible_items(viewer: User, item=FeedItem):
    """A WHERE clause keeping only the feed items `viewer` may see now."""
    # Inside the organisation everything else is visible; removed items never are.
    return sa.and_(item.deleted_at.is_(None), visible_visit_items(viewer, item))


def can_see(viewer: User, item: FeedItem) -> bool:
    """Whether `viewer` may see this one item now (the same rule as visible_items)."""
    if item.deleted_at is not None or not viewer.active:
        return False
    found = db.session.scalar(
        sa.select(FeedItem.id).where(FeedItem.id == item.id, visible_items(viewer))
    )
    return found is not None


def visible_records(viewer: User, record=Record):
    """A WHERE clause on Record keeping those `viewer` may see (private visits are not)."""
    return visible_visit_records(viewer, record)


def can_see_record(viewer: User, record: Record) -> bool:
    """Whether `viewer` may see this record and its page (the same rule as visible_records)."""
    found = db.session.scalar(
        sa.select(Record.id).where(Record.id == record.id, visible_records(viewer))
    )
    return found is not None and viewer.active


def eligible_recipients(item: FeedItem, user_ids: set[int]):
    """A SELECT of the ids among `user_ids` who may receive `item` at write time."""
    query = sa.select(User.id).where(User.id.in_(user_ids), User.active.is_(True))
    visit_rule = visit_viewers(item)
    return query.where(visit_rule) if visit_rule is not None else query
