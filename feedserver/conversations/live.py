"""Who gets a live event about an item, and queuing it (emitted after commit by realtime)."""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed import events
from feedserver.feed.publish import fan_out_at_commit, write_fan_outs
from feedserver.feed.visibility import allowed_viewers, eligible_recipients
from feedserver.models import Comment, FeedItem, InboxEntry


def item_watchers(item: FeedItem, extra: Iterable[int] = ()) -> set[int]:
    """Everyone the item reached or who took part in it, and may still see it."""
    write_fan_outs(db.session())  # the rows this transaction still owes reach people too
    people = set(
        db.session.scalars(sa.select(InboxEntry.user_id).where(InboxEntry.item_id == item.id))
    )
    people.update(
        db.session.scalars(
            sa.select(Comment.author_id).where(
                Comment.item_id == item.id, Comment.author_id.is_not(None)
            )
        )
    )
    if item.actor_id is not None:
        people.add(item.actor_id)
    people.update(extra)
    if not people:
        return set()
    return set(db.session.scalars(allowed_viewers(item, people)))


def push(name: str, payload: dict[str, Any], user_ids: Iterable[int]) -> None:
    """Queue `name` for these users; the realtime layer emits it once the request commits."""
    events.queue_event(name, payload, user_ids)


def deliver_to(item: FeedItem, user_ids: Iterable[int]) -> None:
    """Put an existing item into these people's home feeds (e.g. mentioned in a comment).

    Only those who may receive it and do not have it yet get a new inbox row; the row is pushed
    after commit like any delivery.
    """
    people = set(user_ids)
    people.discard(item.actor_id)
    if not people:
        return
    write_fan_outs(db.session())  # rows this transaction still owes count as already there
    already = set(
        db.session.scalars(
            sa.select(InboxEntry.user_id).where(
                InboxEntry.item_id == item.id, InboxEntry.user_id.in_(people)
            )
        )
    )
    people = set(db.session.scalars(eligible_recipients(item, people - already)))
    if not people:
        return
    fan_out_at_commit(item.id, people)
