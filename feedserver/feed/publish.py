"""Store one feed item and fan it out to its recipients' inboxes, in the caller's transaction.

The item row is written at once; its inbox rows are written as the transaction commits
(write_fan_outs, a before_commit listener), so the recipients' counters are locked for the
fan-out and the commit only, not for whatever the caller does after publishing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event

from feedserver.extensions import db
from feedserver.feed.visibility import eligible_recipients
from feedserver.id_lists import IdList, among, read_ids
from feedserver.models import FeedItem, InboxCounter, InboxEntry, User
from feedserver.outbound.outbox import enqueue_for_item

# Session.info key under which committed-soon deliveries wait for the after-commit push.
PENDING_DELIVERIES = "feed_pending_deliveries"
# Session.info key under which published items wait for their inbox rows (write_fan_outs).
PENDING_FAN_OUTS = "feed_pending_fan_outs"


@dataclass
class Delivery:
    """An item and the inbox sequence number each recipient got for it."""

    item_id: int
    seqs: dict[int, int] = field(default_factory=dict)


def publish(item: FeedItem, audience: Iterable[int]) -> None:
    """Write the item once and give each eligible recipient (never the actor) an inbox row.

    The inbox rows are written when the transaction commits (fan_out_at_commit).
    """
    db.session.add(item)
    db.session.flush()
    recipients = set(audience)
    recipients.discard(item.actor_id)
    if recipients:
        # Plain ids, as one value: read through the connection, past the ORM's per-row loading.
        allowed = eligible_recipients(item, recipients)
        recipients = set(read_ids(db.session.connection(), allowed))
    if len(recipients) > current_app.config["FANOUT_SYNC_LIMIT"]:
        from feedserver.feed.fanout_jobs import defer_fan_out  # the job module builds on this one

        # Thousands of rows would hold the writer up: a durable job writes them after commit.
        defer_fan_out(item.id, sorted(recipients))
    else:
        fan_out_at_commit(item.id, recipients)
    # Outbound webhook deliveries are written in the same transaction as the item (the outbox).
    enqueue_for_item(item)


def fan_out_at_commit(item_id: int, recipients: Iterable[int]) -> None:
    """Give these people an inbox row for the item as the transaction commits (write_fan_outs)."""
    ordered = sorted(recipients)
    if ordered:
        db.session.info.setdefault(PENDING_FAN_OUTS, []).append((item_id, ordered))


def fan_out(
    item_id: int, recipients: list[int], *, active_only: bool = False, session=None
) -> dict[int, int]:
    """Append the item to each recipient's inbox at their next seq; returns user id → seq.

    The rows are written by the database itself (INSERT ... SELECT from the counters) through
    the session's connection, so no recipient passes through the ORM; each statement takes the
    batch as ONE bound value (feedserver.id_lists), so its compiled form is cached and reused.
    With `active_only`, recipients deactivated since they were chosen are left out by the same
    statements. `session`: the one whose transaction gets the rows (the app's by default).
    """
    session = session or db.session
    seqs: dict[int, int] = {}
    session.flush()  # as the ORM would before a query: the counters may be pending rows
    connection = session.connection()
    statements = _fan_out_statements(connection.dialect.name, active_only)
    batch_size = current_app.config["FANOUT_BATCH_SIZE"]
    for start in range(0, len(recipients), batch_size):
        ids = recipients[start : start + batch_size]
        if statements.gate is not None:
            connection.execute(statements.gate, {"first": min(ids)}).close()
        written = connection.execute(statements.write, {"ids": ids, "item_id": item_id})
        seqs.update(written.all())
        if statements.bump is not None:
            connection.execute(statements.bump, {"ids": ids})
    return seqs


@dataclass(frozen=True)
class _FanOutStatements:
    gate: sa.Select | None  # locks the batch's first counter, before `write` locks the rest
    write: sa.Insert  # writes the inbox rows, returning (user_id, seq)
    bump: sa.Update | None  # moves the counters on afterwards, where `write` does not


@cache
def _fan_out_statements(dialect: str, active_only: bool) -> _FanOutStatements:
    """fan_out's statements for one database, built once (SQLAlchemy caches their SQL)."""
    counters, inbox, users = InboxCounter.__table__, InboxEntry.__table__, User.__table__
    in_batch = among(counters.c.user_id, sa.bindparam("ids", type_=IdList()))
    if active_only:
        # So no inactive user's counter moves without a row.
        still_active = sa.exists().where(users.c.id == counters.c.user_id, users.c.active)
        in_batch = sa.and_(in_batch, still_active)
    item_id = sa.bindparam("item_id", type_=sa.Integer)
    if dialect == "sqlite":
        # SQLite locks the whole database for a writer: nothing can move the counters between
        # reading last_seq + 1 and bumping them, so the seqs written are the bumped values.
        rows = sa.select(counters.c.user_id, counters.c.last_seq + 1, item_id).where(in_batch)
        write = inbox.insert().from_select(["user_id", "seq", "item_id"], rows)
        bump = counters.update().where(in_batch).values(last_seq=counters.c.last_seq + 1)
        return _FanOutStatements(None, write.returning(inbox.c.user_id, inbox.c.seq), bump)
    # One statement, one round trip: lock the counters in id order (concurrent fan-outs cannot
    # deadlock, and the locks held to commit keep each user's seqs committing in order), bump
    # them, and write a row at each bumped seq.
    locked = (
        sa.select(counters.c.user_id)
        .where(in_batch)
        .order_by(counters.c.user_id)
        .with_for_update()
        .cte("locked")
    )
    bumped = (
        counters.update()
        .where(counters.c.user_id.in_(sa.select(locked.c.user_id)))
        .values(last_seq=counters.c.last_seq + 1)
        .returning(counters.c.user_id, counters.c.last_seq)
        .cte("bumped")
    )
    rows = sa.select(bumped.c.user_id, bumped.c.last_seq, item_id)
    write = inbox.insert().from_select(["user_id", "seq", "item_id"], rows)
    # Fan-outs to overlapping audiences meet at their first counter, as all lock in id order.
    # A statement that waits there for another transaction re-checks each row that one changed
    # against its own older snapshot (PostgreSQL's EvalPlanQual), which took the fan-out 2-3
    # times as long; waiting on that one counter alone lets `write` start after the other's
    # commit, with a fresh snapshot.
    gate = (
        sa.select(counters.c.user_id)
        .where(counters.c.user_id == sa.bindparam("first", type_=sa.Integer))
        .with_for_update()
    )
    return _FanOutStatements(gate, write.returning(inbox.c.user_id, inbox.c.seq), None)


def write_fan_outs(session) -> None:
    """Write the inbox rows waiting for this transaction's commit, and queue their push.

    Runs before each commit, after everything else is flushed, so the counters' row locks are
    held only for the fan-out's statement and the commit itself; code that reads the inbox
    within a transaction runs it first (conversations.live), so it sees every row.
    """
    if not session.info.get(PENDING_FAN_OUTS):
        return
    session.flush()
    # Taken after the flush, so an item published while flushing is fanned out too.
    for item_id, recipients in session.info.pop(PENDING_FAN_OUTS):
        queue_push(session, Delivery(item_id, fan_out(item_id, recipients, session=session)))


def queue_push(session, delivery: Delivery) -> None:
    """Have the after-commit push ring the rooms of the delivery's recipients (if any)."""
    if delivery.seqs:
        session.info.setdefault(PENDING_DELIVERIES, []).append(delivery)


def drop_fan_outs(session, previous_transaction) -> None:
    """After a rollback of the whole transaction, its published items are gone: no fan-out."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING_FAN_OUTS, None)


def install_fan_out_listeners() -> None:
    """Write fan-outs before each commit of the app's session, drop them on rollback."""
    listeners = (("before_commit", write_fan_outs), ("after_soft_rollback", drop_fan_outs))
    for name, listener in listeners:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def take_pending_deliveries(session) -> list[Delivery]:
    """Remove and return the deliveries a just-committed transaction produced."""
    return session.info.pop(PENDING_DELIVERIES, [])
