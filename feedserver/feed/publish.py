"""Store one feed item and fan it out to its recipients' inboxes, in the caller's transaction."""

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from feedserver.extensions import db
from feedserver.feed.visibility import eligible_recipients
from feedserver.models import FeedItem, InboxCounter, InboxEntry
from feedserver.outbound.outbox import enqueue_for_item

# Session.info key under which committed-soon deliveries wait for the after-commit push.
PENDING_DELIVERIES = "feed_pending_deliveries"


@dataclass
class Delivery:
    """An item and the inbox sequence number each recipient got for it."""

    item_id: int
    seqs: dict[int, int] = field(default_factory=dict)


def publish(item: FeedItem, audience: Iterable[int]) -> Delivery:
    """Write the item once and give each eligible recipient (never the actor) an inbox row."""
    db.session.add(item)
    db.session.flush()
    recipients = set(audience)
    recipients.discard(item.actor_id)
    if recipients:
        recipients = set(db.session.scalars(eligible_recipients(item, recipients)))
    ordered = sorted(recipients)
    if len(ordered) > current_app.config["FANOUT_SYNC_LIMIT"]:
        from feedserver.feed.fanout_jobs import defer_fan_out  # the job module builds on this one

        # Thousands of rows would hold the writer up: a durable job writes them after commit.
        defer_fan_out(item.id, ordered)
        delivery = Delivery(item.id)
    else:
        delivery = Delivery(item.id, fan_out(item.id, ordered))
    if delivery.seqs:
        db.session.info.setdefault(PENDING_DELIVERIES, []).append(delivery)
    # Outbound webhook deliveries are written in the same transaction as the item (the outbox).
    enqueue_for_item(item)
    return delivery


def fan_out(item_id: int, recipients: list[int]) -> dict[int, int]:
    """Append the item to each recipient's inbox at their next seq; returns user id → seq."""
    seqs: dict[int, int] = {}
    batch_size = current_app.config["FANOUT_BATCH_SIZE"]
    for start in range(0, len(recipients), batch_size):
        batch = recipients[start : start + batch_size]
        # Lock counters in id order so concurrent fan-outs cannot deadlock (PostgreSQL);
        # the lock is held to commit, so each user's seqs commit in increasing order.
        db.session.execute(
            sa.select(InboxCounter.user_id)
            .where(InboxCounter.user_id.in_(batch))
            .order_by(InboxCounter.user_id)
            .with_for_update()
        )
        bumped = db.session.execute(
            sa.update(InboxCounter)
            .where(InboxCounter.user_id.in_(batch))
            .values(last_seq=InboxCounter.last_seq + 1)
            .returning(InboxCounter.user_id, InboxCounter.last_seq),
            execution_options={"synchronize_session": False},
        ).all()
        rows = [{"user_id": uid, "seq": seq, "item_id": item_id} for uid, seq in bumped]
        if rows:
            db.session.execute(sa.insert(InboxEntry), rows)
        seqs.update({uid: seq for uid, seq in bumped})
    return seqs


def take_pending_deliveries(session) -> list[Delivery]:
    """Remove and return the deliveries a just-committed transaction produced."""
    return session.info.pop(PENDING_DELIVERIES, [])
