"""Feed queries as select() objects, so callers can filter and paginate them."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.cursor import decode_cursor, encode_cursor
from feedserver.feed.visibility import unmuted_items, visible_items
from feedserver.models import FeedItem, InboxEntry, User


def home_feed(viewer: User):
    """The viewer's inbox, newest first: one index range scan on (user_id, seq)."""
    return (
        sa.select(InboxEntry, FeedItem)
        .join(FeedItem, FeedItem.id == InboxEntry.item_id)
        .where(InboxEntry.user_id == viewer.id, visible_items(viewer), unmuted_items(viewer))
        .order_by(InboxEntry.seq.desc())
    )


def record_feed(viewer: User, record_id: int):
    """Everything about a record: its own changes and what was posted on it."""
    about = sa.or_(
        sa.and_(FeedItem.object_kind == "record", FeedItem.object_id == record_id),
        sa.and_(FeedItem.target_kind == "record", FeedItem.target_id == record_id),
    )
    return sa.select(FeedItem).where(about, visible_items(viewer)).order_by(FeedItem.id.desc())


def profile_feed(viewer: User, user_id: int):
    """What a person did, and what others posted on their profile."""
    about = sa.or_(
        FeedItem.actor_id == user_id,
        sa.and_(FeedItem.target_kind == "user", FeedItem.target_id == user_id),
    )
    return sa.select(FeedItem).where(about, visible_items(viewer)).order_by(FeedItem.id.desc())


def company_feed(viewer: User):
    """Everything in the organisation the viewer may see."""
    return sa.select(FeedItem).where(visible_items(viewer)).order_by(FeedItem.id.desc())


def group_feed(viewer: User, group_id: int):
    """A group's posts and shares that the viewer may see."""
    return (
        sa.select(FeedItem)
        .where(FeedItem.group_id == group_id, visible_items(viewer))
        .order_by(FeedItem.id.desc())
    )


# What "posts only" and "record updates only" mean, as verbs.
POST_VERBS = ("post", "question", "share")
CHANGE_VERBS = ("create", "update", "delete", "undelete")
FEED_KINDS = ("all", "posts", "changes")


def filter_feed(
    query,
    verb: str | None = None,
    record_type: str | None = None,
    kind: str | None = None,
    group_id: int | None = None,
):
    if verb:
        query = query.where(FeedItem.verb == verb)
    if record_type:
        query = query.where(FeedItem.record_type == record_type)
    if kind == "posts":
        query = query.where(FeedItem.verb.in_(POST_VERBS))
    elif kind == "changes":
        query = query.where(FeedItem.verb.in_(CHANGE_VERBS))
    if group_id is not None:
        query = query.where(FeedItem.group_id == group_id)
    return query


# Activity cursors pack (last activity in microseconds, item id) into one opaque integer.
_ID_BITS = 32
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def paginate_by_activity(query, cursor: str | None, limit: int) -> "Page":
    """Keyset pagination by latest activity (a new comment bumps an item), then id."""
    query = query.order_by(None).order_by(FeedItem.last_activity_at.desc(), FeedItem.id.desc())
    if cursor:
        position = decode_cursor(cursor)
        micros, last_id = position >> _ID_BITS, position & ((1 << _ID_BITS) - 1)
        at = _EPOCH + timedelta(microseconds=micros)
        query = query.where(
            sa.or_(
                FeedItem.last_activity_at < at,
                sa.and_(FeedItem.last_activity_at == at, FeedItem.id < last_id),
            )
        )
    rows = db.session.execute(query.limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    entities = [row[0] if len(row) == 1 else tuple(row) for row in rows]
    next_cursor = None
    if has_more:
        last = entities[-1][-1] if isinstance(entities[-1], tuple) else entities[-1]
        micros = (last.last_activity_at - _EPOCH) // timedelta(microseconds=1)
        next_cursor = encode_cursor((micros << _ID_BITS) | last.id)
    return Page(rows=entities, next_cursor=next_cursor, has_more=has_more)


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None
    has_more: bool


def paginate(query, key, cursor: str | None, limit: int, after: int | None = None) -> Page:
    """Keyset pagination on `key`: newest first from a cursor, or oldest first after a key.

    Rows come back as the query's entities (a single entity unwrapped).
    """
    query = query.add_columns(key.label("page_key"))
    if after is not None:
        query = query.where(key > after).order_by(None).order_by(key.asc())
    elif cursor:
        query = query.where(key < decode_cursor(cursor))
    rows = db.session.execute(query.limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].page_key) if has_more and after is None else None
    entities = [row[0] if len(row) == 2 else tuple(row[:-1]) for row in rows]
    return Page(rows=entities, next_cursor=next_cursor, has_more=has_more)
