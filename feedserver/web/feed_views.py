"""Feed pages for templates: the same item dicts the API presents, paged by cursor."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort

from feedserver.api.presenters import inbox_dicts, item_dicts, with_viewer_state
from feedserver.extensions import db
from feedserver.feed.cursor import CursorError
from feedserver.feed.queries import (
    company_feed,
    filter_feed,
    home_feed,
    paginate,
    paginate_by_activity,
    profile_feed,
    record_feed,
)
from feedserver.feed.visibility import can_see
from feedserver.models import FeedItem, InboxCounter, InboxEntry, User

FEED_VERBS = {"post": "Posts", "update": "Changes", "create": "New records"}


@dataclass
class FeedPage:
    """One page of item dicts and the cursor of the next (None at the end)."""

    items: list[dict]
    next_cursor: str | None


def _page(query, key, cursor: str | None, limit: int):
    try:
        return paginate(query, key, cursor or None, limit)
    except CursorError:
        abort(400, description="That link to older items is not valid any more.")


def _sorted_page(query, key, cursor, limit, sort):
    if sort != "activity":
        return _page(query, key, cursor, limit)
    try:
        return paginate_by_activity(query, cursor or None, limit)
    except CursorError:
        abort(400, description="That link to older items is not valid any more.")


def home_page(
    viewer: User, cursor=None, limit=20, verb=None, record_type=None, sort=None
) -> FeedPage:
    """The viewer's inbox, newest first (or by latest activity), each item with its seq."""
    query = filter_feed(home_feed(viewer), verb, record_type)
    page = _sorted_page(query, InboxEntry.seq, cursor, limit, sort)
    return FeedPage(with_viewer_state(inbox_dicts(page.rows), viewer), page.next_cursor)


def item_page(
    viewer: User,
    query,
    cursor=None,
    limit=20,
    verb=None,
    record_type=None,
    key=FeedItem.id,
    sort=None,
) -> FeedPage:
    """A page of a feed query (newest first by `key`), with the viewer's likes and bookmarks."""
    page = _sorted_page(filter_feed(query, verb, record_type), key, cursor, limit, sort)
    return FeedPage(with_viewer_state(item_dicts(page.rows), viewer), page.next_cursor)


def record_page_feed(viewer: User, record_id: int, cursor=None, limit=20) -> FeedPage:
    return item_page(viewer, record_feed(viewer, record_id), cursor, limit)


def profile_page_feed(viewer: User, user_id: int, cursor=None, limit=20) -> FeedPage:
    return item_page(viewer, profile_feed(viewer, user_id), cursor, limit)


def company_page(
    viewer: User, cursor=None, limit=20, verb=None, record_type=None, sort=None
) -> FeedPage:
    return item_page(viewer, company_feed(viewer), cursor, limit, verb, record_type, sort=sort)


def item_for_viewer(viewer: User, item_id: int) -> dict | None:
    """One item as the viewer may see it, with their inbox seq when it reached their inbox."""
    item = db.session.get(FeedItem, item_id)
    if item is None or not can_see(viewer, item):
        return None
    entry = db.session.scalar(
        sa.select(InboxEntry).where(InboxEntry.user_id == viewer.id, InboxEntry.item_id == item_id)
    )
    if entry is None:
        data = item_dicts([item])[0]
        data["seq"] = None
    else:
        data = inbox_dicts([(entry, item)])[0]
    return with_viewer_state([data], viewer)[0]


def item_matches(item: dict, verb=None, record_type=None, record_id=None, user_id=None) -> bool:
    """Whether a live item belongs on a page showing this filter (home, record or profile)."""
    if verb and item["verb"] != verb:
        return False
    if record_type and item["record_type"] != record_type:
        return False
    refs = [item["object"], item["target"]]
    if record_id is not None and not any(
        r and r["kind"] == "record" and r["id"] == record_id for r in refs
    ):
        return False
    if user_id is not None:
        actor = item["actor"]
        to_user = item["target"] and item["target"]["kind"] == "user"
        if not ((actor and actor.id == user_id) or (to_user and item["target"]["id"] == user_id)):
            return False
    return True


def inbox_position(viewer: User) -> int:
    """The viewer's last inbox seq, read BEFORE a page's queries so live resume leaves no gap."""
    return (
        db.session.scalar(sa.select(InboxCounter.last_seq).where(InboxCounter.user_id == viewer.id))
        or 0
    )
