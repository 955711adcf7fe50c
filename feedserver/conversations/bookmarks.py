"""Bookmarks: a person's private list of items to come back to."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visibility import visible_items
from feedserver.models import Bookmark, FeedItem, User


def bookmark(user: User, item: FeedItem) -> Bookmark:
    """Bookmark an item; bookmarking it again keeps the first bookmark."""
    existing = db.session.scalar(
        sa.select(Bookmark).where(Bookmark.user_id == user.id, Bookmark.item_id == item.id)
    )
    if existing is not None:
        return existing
    row = Bookmark(user_id=user.id, item_id=item.id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_bookmark(user: User, item_id: int) -> bool:
    return (
        db.session.execute(
            sa.delete(Bookmark).where(Bookmark.user_id == user.id, Bookmark.item_id == item_id)
        ).rowcount
        > 0
    )


def bookmarked_items(user: User):
    """A SELECT of the items the user bookmarked and may still see, newest bookmark first."""
    return (
        sa.select(FeedItem)
        .join(Bookmark, Bookmark.item_id == FeedItem.id)
        .where(Bookmark.user_id == user.id, visible_items(user))
        .order_by(Bookmark.id.desc())
    )


def bookmarked_among(user_id: int, item_ids: list[int]) -> set[int]:
    if not item_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Bookmark.item_id).where(
                Bookmark.user_id == user_id, Bookmark.item_id.in_(item_ids)
            )
        )
    )
