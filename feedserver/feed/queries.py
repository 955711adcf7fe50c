"""Feed queries as select() objects, so callers can filter and paginate them."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.cursor import decode_cursor, encode_cursor
from feedserver.feed.item_rows import ITEM_ROW_COLUMNS, item_row, join_actor
from feedserver.feed.visibility import (
    hidden_among,
    records_named_by,
    unmuted_by,
    unmuted_items,
    visible_items,
)
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
    # What was loaded on the way, for presenting the rows: {(kind, id): object}.
    references: dict = field(default_factory=dict)


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


def home_page(
    viewer: User,
    cursor: str | None,
    limit: int,
    after: int | None = None,
    verb: str | None = None,
    record_type: str | None = None,
    kind: str | None = None,
    group_id: int | None = None,
) -> Page:
    """A page of the viewer's home feed: paginate(filter_feed(home_feed(viewer), ...)), faster.

    The inbox query drops removed and muted items only, and is built once per filter shape with
    every value bound, so each request reuses its compiled form. The rest of visibility (private
    groups, shares, visits: rare on a home page) is checked on the rows that come back
    (visibility.hidden_among); rows it hides are replaced by further ones until the page is full
    or the inbox ends, so pages stay full and cursors exact. Rows are (entry, item) pairs, the
    item an ItemRow (feed.item_rows): presenting reads only its columns. The page's SELECTs run
    on the session's connection and give plain rows (no ORM result processing, no autoflush):
    pages are read where nothing is pending, by a GET and by a socket's catch-up.
    """
    key = after if after is not None else (decode_cursor(cursor) if cursor else None)
    shape = (after is not None, bool(verb), bool(record_type), kind or "all", group_id is not None)
    params = {
        "viewer_id": viewer.id,
        "verb": verb,
        "record_type": record_type,
        "group_id": group_id,
        "size": limit + 1,
    }
    rows: list[tuple] = []
    records: dict = {}
    while True:
        statement = _home_statement(*shape, keyed=key is not None)
        batch = db.session.connection().execute(statement, {**params, "key": key}).all()
        # The row stands for the inbox entry (its seq, read_at and page_key); the item follows.
        pairs = [(row, item_row(row[_ITEM_AT:])) for row in batch]
        items = [item for _, item in pairs]
        records.update(records_named_by(items))
        hidden = hidden_among(viewer, items, records)
        rows += [pair for pair in pairs if pair[1].id not in hidden]
        if len(rows) > limit or len(batch) <= limit:
            break
        key = batch[-1].page_key
    has_more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        rows=rows,
        next_cursor=encode_cursor(rows[-1][0].page_key) if has_more and after is None else None,
        has_more=has_more,
        references={("record", ref_id): record for ref_id, record in records.items()},
    )


# Where an inbox row's item columns start (_home_statement's select: seq, read_at, page_key).
_ITEM_AT = 3


@cache
def _home_statement(
    ascending: bool, verb: bool, record_type: bool, kind: str, group: bool, keyed: bool
):
    """The inbox query for one filter shape, every value a bind parameter (see home_page)."""
    viewer_id = sa.bindparam("viewer_id", type_=sa.Integer)
    query = join_actor(
        sa.select(
            InboxEntry.seq, InboxEntry.read_at, InboxEntry.seq.label("page_key"), *ITEM_ROW_COLUMNS
        ).join(FeedItem, FeedItem.id == InboxEntry.item_id)
    ).where(
        InboxEntry.user_id == viewer_id,
        FeedItem.deleted_at.is_(None),
        unmuted_by(viewer_id),
    )
    if verb:
        query = query.where(FeedItem.verb == sa.bindparam("verb"))
    if record_type:
        query = query.where(FeedItem.record_type == sa.bindparam("record_type"))
    if group:
        query = query.where(FeedItem.group_id == sa.bindparam("group_id"))
    query = filter_feed(query, kind=kind)
    seq = InboxEntry.seq
    if keyed:
        query = query.where(seq > sa.bindparam("key") if ascending else seq < sa.bindparam("key"))
    return query.order_by(seq.asc() if ascending else seq.desc()).limit(sa.bindparam("size"))
