"""Events a sender asked us to take now and apply later (`Prefer: respond-async`), in order.

The answer went back once the request and its events were stored (`queued`); from here each
event is applied by pipeline.run_event (as the events of a synchronous request of several are),
oldest first. Each event is claimed with a row lock held until its own transaction commits
(PostgreSQL: FOR UPDATE SKIP LOCKED), so several processes can drain the same queue and none
applies an event twice; a process that dies mid-event rolls back, and the event stays queued for
the next drain. One drain runs at a time per process (started after the answer, and at server
start), and `flask webhooks apply-queued` drains from the command line.
"""

import logging
import threading

import sqlalchemy as sa
from flask import Flask

from feedserver.extensions import db, socketio
from feedserver.models import InboundEvent, InboundMessage, Integration
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.pipeline import (
    QUEUED,
    message_key,
    record_failure,
    run_event,
    stored_request,
)
from feedserver.webhooks.translators import translator

log = logging.getLogger(__name__)

# Whether this process's drain runs, and whether events were queued since it last looked.
_state = {"running": False, "wanted": False}
_state_lock = threading.Lock()


def drain_soon(app: Flask) -> None:
    """Make sure this process's drain runs after events were queued (starts it if idle)."""
    with _state_lock:
        _state["wanted"] = True
        if _state["running"]:
            return
        _state["running"] = True
    socketio.start_background_task(_drain, app)


def draining() -> bool:
    """Whether this process's drain is running now."""
    with _state_lock:
        return _state["running"]


def _drain(app: Flask) -> None:
    while True:
        with _state_lock:
            _state["wanted"] = False
        try:
            with app.app_context():
                apply_queued()
        except Exception:
            log.exception("applying queued webhook events stopped; the next drain resumes it")
        with _state_lock:
            # Events queued while this pass ran may have missed its last look: go round again.
            if not _state["wanted"]:
                _state["running"] = False
                return


def apply_queued(limit: int | None = None) -> int:
    """Apply queued events oldest first until none is left (or `limit`); returns how many."""
    applied = 0
    changes: dict[int, dict[str, InboundChange] | str] = {}
    try:
        while limit is None or applied < limit:
            claimed = db.session.execute(_NEXT_QUEUED).first()
            if claimed is None:
                db.session.rollback()
                break
            event_id, message_id, dedupe_key = claimed
            if message_id not in changes:
                changes[message_id] = _translated(message_id)
            found = changes[message_id]
            if isinstance(found, str):
                _fail(event_id, message_id, found)
            elif dedupe_key not in found:
                _fail(event_id, message_id, "the stored request no longer yields this event")
            else:
                # Still under the claim's lock: run_event applies it in this transaction.
                run_event(event_id, found[dedupe_key], finishes=_finishes(event_id, message_id))
            applied += 1
    finally:
        db.session.remove()
    return applied


# The oldest queued event nobody else holds, locked until this transaction ends.
_NEXT_QUEUED = (
    sa.select(InboundEvent.id, InboundEvent.message_id, InboundEvent.dedupe_key)
    .where(InboundEvent.status == QUEUED)
    .order_by(InboundEvent.id)
    .limit(1)
    .with_for_update(skip_locked=True)
)


def _translated(message_id: int) -> dict[str, InboundChange] | str:
    """The stored request's changes by dedupe key, or why it no longer translates."""
    message = db.session.get(InboundMessage, message_id)
    integration = db.session.get(Integration, message.integration_id)
    try:
        found = translator(message.endpoint)(
            stored_request(message), integration, message_key(message)
        )
    except InboundError as exc:
        return f"the stored request no longer translates: {exc.message}"
    except Exception as exc:
        # Kept as failed, not left queued: an event that always raises would block the queue.
        log.exception("translating stored inbound message %s failed", message_id)
        return f"internal error ({type(exc).__name__}); see the server log"
    # Keyed as stored: a dedupe key is kept to its first 255 characters.
    return {change.dedupe_key[:255]: change for change in found}


def _finishes(event_id: int, message_id: int) -> int | None:
    """The message id when this is its last queued event (it is then marked processed too)."""
    others = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(InboundEvent)
        .where(
            InboundEvent.message_id == message_id,
            InboundEvent.status == QUEUED,
            InboundEvent.id != event_id,
        )
    )
    return message_id if not others else None


def _fail(event_id: int, message_id: int, error: str) -> None:
    """Keep the event as failed (replayable once the mapping is fixed), under the claim's lock."""
    finishes = _finishes(event_id, message_id)
    record_failure(db.session.get(InboundEvent, event_id), error, finishes)
