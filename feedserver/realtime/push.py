"""Emit after commit, from one place: the session's committed deliveries and events go out.

Services queue on the session (feed.publish, feed.events.queue_event); this listener takes the
queue when the transaction commits and drops it when it rolls back. The payload is loaded in a
fresh app context (its own session), so the session that committed is never touched, and a
failure here is logged, never raised: the database already holds the truth, and clients fill any
gap on their next item or reconnect.

A request's push runs in a background task, so its response does not wait for the emits (two
commits' pushes may then overtake each other; each connection's stream puts its items back in
seq order, realtime.streams). Outside a request (a CLI command, a worker, the fan-out job, which
is itself a background task) it runs inline, so a process that exits after its commit has
published first.
"""

import logging

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event

from feedserver.api.presenters import item_payloads
from feedserver.extensions import db, socketio
from feedserver.feed.events import PendingEvent, take_pending_events
from feedserver.feed.publish import Delivery, take_pending_deliveries
from feedserver.models import FeedItem
from feedserver.realtime.encoding import Encoded
from feedserver.realtime.protocol import FEED_ITEM, RESERVED_EVENTS
from feedserver.realtime.rooms import user_room

log = logging.getLogger(__name__)


def install_push_listeners() -> None:
    """Listen on the app's session for commits and rollbacks (idempotent)."""
    listeners = (("after_commit", _after_commit), ("after_soft_rollback", _after_rollback))
    for name, listener in listeners:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _after_commit(session) -> None:
    deliveries = take_pending_deliveries(session)
    events = take_pending_events(session)
    if not (deliveries or events) or not has_app_context():
        return
    app = current_app._get_current_object()
    if has_request_context() and socketio.server is not None:
        socketio.start_background_task(_push_in_app, app, deliveries, events)
    else:
        _push_in_app(app, deliveries, events)


def _push_in_app(app, deliveries: list[Delivery], events: list[PendingEvent]) -> None:
    """Push what one transaction committed, in an app context of its own; log any failure."""
    try:
        with app.app_context():
            push(deliveries, events)
    except Exception:
        log.exception("live push after commit failed; clients will catch up from the database")


def _after_rollback(session, previous_transaction) -> None:
    # Only the outermost rollback discards the queue; a savepoint's leaves the rest standing.
    if previous_transaction.parent is not None:
        return
    take_pending_deliveries(session)
    take_pending_events(session)


def push(deliveries: list[Delivery], events: list[PendingEvent]) -> None:
    """Emit each delivered item once to all its recipients' rooms, then the queued events."""
    if socketio.server is None:
        return
    if deliveries:
        ids = [delivery.item_id for delivery in deliveries]
        found = {
            item.id: item
            for item in db.session.scalars(sa.select(FeedItem).where(FeedItem.id.in_(ids)))
        }
        present = [delivery for delivery in deliveries if delivery.item_id in found]
        payloads = item_payloads([found[delivery.item_id] for delivery in present])
        for delivery, payload in zip(present, payloads, strict=True):
            emit_item(payload, delivery.seqs)
    for pending in events:
        emit_event(pending.name, pending.payload, pending.user_ids)


def emit_item(payload: dict, seqs: dict[int, int]) -> None:
    """One emit for one item: each recipient's room with that recipient's seq."""
    rooms = {user_room(user_id): seq for user_id, seq in sorted(seqs.items())}
    # Encoded once here; every connection's packet writes the same text (realtime.encoding).
    socketio.emit(FEED_ITEM, {"item": Encoded(payload), "seqs": rooms}, to=list(rooms))


def emit_event(name: str, payload: dict, user_ids) -> None:
    """A feature's live event (item_updated, comment_added, ...) to these users' rooms."""
    if name in RESERVED_EVENTS:
        log.error("event %r is reserved for the feed stream and was not sent", name)
        return
    socketio.emit(name, payload, to=[user_room(user_id) for user_id in sorted(user_ids)])
