"""What a reconnecting connection missed: the home feed after a seq, and whether it can resume."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from feedserver.extensions import db
from feedserver.feed.queries import home_page
from feedserver.models import FeedItem, InboxCounter, InboxEntry, User
from feedserver.orm import utcnow
from feedserver.realtime.gates import slot
from feedserver.realtime.presented import PageItem, catch_up_items
from feedserver.realtime.protocol import CURSOR_EXPIRED, CURSOR_UNKNOWN


@dataclass
class CatchUpPage:
    """Inbox items after a seq, oldest first, exactly as GET /feed/home?after_seq returns them."""

    items: list[PageItem]
    has_more: bool


def read_after(
    user_id: int, after_seq: int, limit: int, wanted: Callable[[], bool] = lambda: True
) -> CatchUpPage | None:
    """The user's next page of home-feed items after `after_seq` (the HTTP catch-up's query).

    At most REALTIME_CATCHUP_CONCURRENCY reads run at once per process, and each gives its
    pooled connection back before its slot, so a reconnect storm's catch-ups queue here, holding
    nothing, while handshakes and webhooks keep the rest of the pool. While handshakes queue,
    catch-ups wait for them (realtime.gates): a client let in late gives up and comes again.
    None when `wanted()` says, once the slot is ours, that the read is no longer needed: in a
    storm many connections close while their catch-up waits.
    """
    with slot("REALTIME_CATCHUP_CONCURRENCY", give_way_to=("REALTIME_HANDSHAKE_CONCURRENCY",)):
        if not wanted():
            return None
        try:
            user = db.session.get(User, user_id)
            if user is None:
                return CatchUpPage([], False)
            page = home_page(user, None, limit, after=after_seq)
            # Each item carries this reader's own state, as over HTTP.
            return CatchUpPage(catch_up_items(page.rows, page.references, user), page.has_more)
        finally:
            db.session.remove()


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
    # One round trip for both facts: a handshake runs this.
    stored_at_cursor = (
        sa.select(FeedItem.created_at)
        .join(InboxEntry, InboxEntry.item_id == FeedItem.id)
        .where(InboxEntry.user_id == user_id, InboxEntry.seq == last_seq)
        .scalar_subquery()
    )
    found = db.session.execute(
        sa.select(InboxCounter.last_seq, stored_at_cursor).where(InboxCounter.user_id == user_id)
    ).first()
    given, stored_at = found if found is not None else (0, None)
    if last_seq > (given or 0):
        return CURSOR_UNKNOWN
    # A missing row was pruned: what came right after it may be gone too.
    if stored_at is None:
        return CURSOR_EXPIRED
    retention = timedelta(days=current_app.config["FEED_RETENTION_DAYS"])
    if stored_at < utcnow() - retention:
        return CURSOR_EXPIRED
    return None
