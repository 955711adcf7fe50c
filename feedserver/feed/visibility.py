"""The one place that decides who may see what; every read and every fan-out asks here."""

import sqlalchemy as sa

from feedserver.models import FeedItem, User


def visible_items(viewer: User):
    """A WHERE clause keeping only the feed items `viewer` may see now."""
    # Inside the organisation everything is visible; removed items never are.
    return FeedItem.deleted_at.is_(None)


def can_see(viewer: User, item: FeedItem) -> bool:
    return item.deleted_at is None and viewer.active


def eligible_recipients(item: FeedItem, user_ids: set[int]):
    """A SELECT of the ids among `user_ids` who may receive `item` at write time."""
    return sa.select(User.id).where(User.id.in_(user_ids), User.active.is_(True))
