"""Store one feed item and fan it out to its recipients' inboxes, in the caller's transaction."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from flask import current_app

from feedserver.extensions import db
from feedserver.feed.visibility import eligible_recipients
from feedserver.id_lists import IdList, among
from feedserver.models import FeedItem, InboxCounter, InboxEntry, User
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
        # Plain ids: read through the connection, past the ORM's per-row loading.
        allowed = eligible_recipients(item, recipients)
        recipients = set(db.session.connection().scalars(allowed).all())
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


def fan_out(item_id: int, recipients: list[int], *, active_only: bool = False) -> dict[int, int]:
    """Append the item to each recipient's inbox at their next seq; returns user id → seq.

    The rows are written by the database itself (INSERT ... SELECT from the counters) through
    the session's connection, so no recipient passes through the ORM; each statement takes the
    batch as ONE bound value (feedserver.id_lists), so its compiled form is cached and reused.
    With `active_only`, recipients deactivated since they were chosen are left out by the same
    statements.
    """
    seqs: dict[int, int] = {}
    db.session.flush()  # as the ORM would before a query: the counters may be pending rows
    connection = db.session.connection()
    statements = _fan_out_statements(connection.dialect.name, active_only)
    batch_size = current_app.config["FANOUT_BATCH_SIZE"]
    for start in range(0, len(recipients), batch_size):
        ids = recipients[start : start + batch_size]
        if statements.lock is not None:
            # Lock counters in id order so concurrent fan-outs cannot deadlock (PostgreSQL);
            # the lock is held to commit, so each user's seqs commit in increasing order.
            connection.execute(statements.lock, {"ids": ids}).close()
        # Under those locks (SQLite: its one write lock) the counters cannot move between
        # reading last_seq + 1 and bumping it, so the seqs are the bumped values.
        written = connection.execute(statements.insert, {"ids": ids, "item_id": item_id})
        seqs.update(written.all())
        connection.execute(statements.bump, {"ids": ids})
    return seqs


@dataclass(frozen=True)
class _FanOutStatements:
    lock: sa.Select | None
    insert: sa.Insert
    bump: sa.Update


@cache
def _fan_out_statements(dialect: str, active_only: bool) -> _FanOutStatements:
    """fan_out's statements for one database, built once (SQLAlchemy caches their SQL)."""
    counters, inbox, users = InboxCounter.__table__, InboxEntry.__table__, User.__table__
    in_batch = among(counters.c.user_id, sa.bindparam("ids", type_=IdList()))
    if active_only:
        # In all three statements, so no inactive user's counter moves without a row.
        still_active = sa.exists().where(users.c.id == counters.c.user_id, users.c.active)
        in_batch = sa.and_(in_batch, still_active)
    # SQLite locks the whole database for a writer, so there are no row locks to order.
    lock = None
    if dialect != "sqlite":
        lock = (
            sa.select(counters.c.user_id)
            .where(in_batch)
            .order_by(counters.c.user_id)
            .with_for_update()
        )
    rows = sa.select(
        counters.c.user_id,
        counters.c.last_seq + 1,
        sa.bindparam("item_id", type_=sa.Integer),
    ).where(in_batch)
    insert = (
        inbox.insert()
        .from_select(["user_id", "seq", "item_id"], rows)
        .returning(inbox.c.user_id, inbox.c.seq)
    )
    bump = counters.update().where(in_batch).values(last_seq=counters.c.last_seq + 1)
    return _FanOutStatements(lock, insert, bump)


def take_pending_deliveries(session) -> list[Delivery]:
    """Remove and return the deliveries a just-committed transaction produced."""
    return session.info.pop(PENDING_DELIVERIES, [])
