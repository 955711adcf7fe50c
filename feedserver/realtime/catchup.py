"""What a reconnecting connection missed: the home feed after a seq, and whether it can resume."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from feedserver.api.presenters import inbox_dicts, with_viewer_state
from feedserver.api.schemas.feed import InboxItemSchema
from feedserver.extensions import db
from feedserver.feed.queries import home_feed, paginate
from feedserver.models import FeedItem, InboxCounter, InboxEntry, User
from feedserver.orm import utcnow
from feedserver.realtime.protocol import CURSOR_EXPIRED, CURSOR_UNKNOWN

_inbox_schema = InboxItemSchema()


@dataclass
class CatchUpPage:
    """Inbox items after a seq, oldest first, exactly as GET /feed/home?after_seq returns them."""

    items: list[dict]
    has_more: bool


def read_after(user_id: int, after_seq: int, limit: int) -> CatchUpPage:
    """The user's next page of home-feed items after `after_seq` (the HTTP catch-up's query)."""
    user = db.session.get(User, user_id)
    if user is None:
        return CatchUpPage([], False)
    page = paginate(home_feed(user), InboxEntry.seq, None, limit, after=after_seq)
    # Per connection, so each item carries this reader's own state, as over HTTP.
    items = _inbox_schema.dump(with_viewer_state(inbox_dicts(page.rows), user), many=True)
    return CatchUpPage(items, page.has_more)


def current_seq(user_id: int) -> int:
    """The highest seq the user has been given so far (0 before their first item)."""
    last = db.session.scalar(
        sa.select(InboxCounter.last_seq).where(InboxCounter.user_id == user_id)
    )
    return last or 0


def cursor_problem(user_id: int, last_seq: int) -> str | None:
    """Why `last_seq` cannot be resumed exactly (a `reset` reason), or None when it can."""
    if last_seq == 0:
        return None
    if last_seq > current_seq(user_id):
        return CURSOR_UNKNOWN
    stored_at = db.session.scalar(
        sa.select(FeedItem.created_at)
        .join(InboxEntry, InboxEntry.item_id == FeedItem.id)
        .where(InboxEntry.user_id == user_id, InboxEntry.seq == last_seq)
    )
    # A missing row was pruned: what came right after it may be gone too.
    if stored_at is None:
        return CURSOR_EXPIRED
    retention = timedelta(days=current_app.config["FEED_RETENTION_DAYS"])
    if stored_at < utcnow() - retention:
        return CURSOR_EXPIRED
    return None
