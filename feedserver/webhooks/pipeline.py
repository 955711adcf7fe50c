"""Inbound pipeline: store raw → translate → dedupe → process each event → status.

With `deferred` (the sender's `Prefer: respond-async`) the events are stored as `queued` and the
answer goes back at once; webhooks.queued applies them afterwards, through run_event as here.

This module owns its transactions on purpose. A request of one event (most senders' usual) is
stored and applied in ONE transaction (one commit, one disk flush). Otherwise, or when that
event fails, the raw request and its events are committed together before anything is
applied, so they survive any processing failure, and each event is then applied in a
transaction of its own (all of it or none of it).
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from feedserver.extensions import db
from feedserver.models import InboundEvent, InboundMessage, Integration
from feedserver.orm import utcnow
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.process import Outcome, ProcessingError, process_change
from feedserver.webhooks.request import InboundRequest

log = logging.getLogger(__name__)

# Headers never stored: credentials, and cookies that are no business of a webhook.
SECRET_HEADERS = {"authorization", "cookie", "proxy-authorization"}

Translator = Callable[[InboundRequest, Integration, str], list[InboundChange]]

# The pipeline's own rows: a request's message and events are written by that request alone,
# and its integration was authenticated at its start, so they need no reload after a commit.
OWN_ROWS = (InboundMessage, InboundEvent, Integration)
KEEP_OWN_ROWS = "webhooks_keep_own_rows"
# The status of an event stored to be applied after the answer (webhooks.queued).
QUEUED = "queued"


class ReplayError(ValueError):
    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class EventReport:
    """One event of a request: its stored row, and whether it was seen before."""

    index: int
    event: InboundEvent
    duplicate: bool = False


@dataclass
class Receipt:
    message: InboundMessage
    duplicate: bool = False
    events: list[EventReport] = field(default_factory=list)


def stored_headers(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}


def message_key(message: InboundMessage) -> str:
    """The prefix of the dedupe keys of a message's events without their own key."""
    return message.message_id or f"message-{message.id}"


def receive(
    integration: Integration,
    endpoint: str,
    request: InboundRequest,
    translate: Translator,
    message_id: str | None = None,
    *,
    deferred: bool = False,
) -> Receipt:
    """Store the authenticated request, then apply its events; InboundError if refused.

    `deferred`: store the events as `queued` and leave them to webhooks.queued, which applies
    them after the answer (the sender asked for `Prefer: respond-async`).
    """
    with _own_rows_kept():
        return _receive(integration, endpoint, request, translate, message_id, deferred)


@contextmanager
def _own_rows_kept():
    """While inside, `_commit` expires every loaded row except the pipeline's own."""
    session = db.session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    session.info[KEEP_OWN_ROWS] = True
    try:
        yield
    finally:
        session.expire_on_commit = before
        session.info.pop(KEEP_OWN_ROWS, None)


def _commit() -> None:
    """Commit; rows others may change (records, users, items) are read afresh afterwards."""
    session = db.session()
    session.commit()
    if session.info.get(KEEP_OWN_ROWS):
        for row in list(session.identity_map.values()):
            if not isinstance(row, OWN_ROWS):
                session.expire(row)


def _receive(
    integration: Integration,
    endpoint: str,
    request: InboundRequest,
    translate: Translator,
    message_id: str | None,
    deferred: bool,
) -> Receipt:
    integration_id = integration.id
    try_alone = not deferred
    # Two tries for concurrent deliveries of the same events, one more after a failed event.
    for _attempt in range(3):
        message = InboundMessage(
            integration_id=integration_id,
            endpoint=endpoint,
            message_id=message_id,
            url=request.url[:2048],
            headers=stored_headers(request.headers),
            body=request.body,
            received_at=request.received_at,
        )
        db.session.add(message)
        try:
            db.session.flush()  # a redelivery of the same webhook-id stops here
        except IntegrityError:
            db.session.rollback()
            return _redelivery(integration_id, message_id)
        try:
            changes = translate(request, integration, message_key(message))
        except InboundError as exc:
            message.status, message.error = "rejected", exc.message
            message.message_id = None  # a rejected id may be sent again, and is checked again
            _commit()
            raise
        except Exception:
            _commit()  # whatever went wrong, the raw request is kept (and can be replayed)
            raise
        reports = _store_events(message, changes, QUEUED if deferred else "received")
        fresh = [r for r in reports if not r.duplicate]
        alone = try_alone and len(fresh) == 1
        try:
            if alone:
                db.session.flush()  # a concurrent delivery of the same event stops here
                if _applied_alone(message, fresh[0].event, changes[fresh[0].index], integration):
                    break
                try_alone = False  # all undone: stored again the long way, its failure kept
                continue
            _commit()  # the request and its events, stored together before any is applied
            break
        except IntegrityError:
            # A concurrent delivery stored some of these events first: store it all again,
            # and those are found as duplicates.
            db.session.rollback()
    else:
        raise InboundError("concurrent deliveries of the same events; retry", 409)
    if alone:
        return Receipt(message, events=reports)
    pending = [(r.event.id, changes[r.index]) for r in fresh]
    if deferred and pending:
        return Receipt(message, events=reports)
    for position, (event_id, change) in enumerate(pending, start=1):
        # The last event's transaction also marks the message processed (one commit less).
        run_event(event_id, change, finishes=message.id if position == len(pending) else None)
    message = db.session.get(InboundMessage, message.id)
    if not pending:
        message.status = "processed"
        _commit()
    return Receipt(message, events=reports)


def _redelivery(integration_id: int, message_id: str | None) -> Receipt:
    message = db.session.scalar(
        sa.select(InboundMessage).where(
            InboundMessage.integration_id == integration_id,
            InboundMessage.message_id == message_id,
        )
    )
    if message is None:  # the other delivery was rejected meanwhile: nothing to report
        raise InboundError("a delivery with this webhook-id is being handled; retry", 409)
    reports = [EventReport(e.position, e, duplicate=True) for e in message.events]
    return Receipt(message, duplicate=True, events=reports)


def _store_events(
    message: InboundMessage, changes: list[InboundChange], status: str
) -> list[EventReport]:
    """Add one row per new event; events whose dedupe key exists are reported as duplicates."""
    keys = [c.dedupe_key for c in changes]
    known = {
        e.dedupe_key: e
        for e in db.session.scalars(
            sa.select(InboundEvent).where(
                InboundEvent.integration_id == message.integration_id,
                InboundEvent.dedupe_key.in_(keys),
            )
        )
    }
    reports = []
    for index, change in enumerate(changes):
        if change.dedupe_key in known:
            reports.append(EventReport(index, known[change.dedupe_key], duplicate=True))
            continue
        event = InboundEvent(
            message_id=message.id,
            integration_id=message.integration_id,
            position=index,
            dedupe_key=change.dedupe_key[:255],
            kind=change.kind,
            record_type=change.record_type,
            external_id=change.external_id,
            warnings=list(change.warnings),
            status=status,
        )
        db.session.add(event)
        known[change.dedupe_key] = event  # a repeat inside one request is a duplicate too
        reports.append(EventReport(index, event))
    return reports


def run_event(event_id: int, change: InboundChange, finishes: int | None = None) -> InboundEvent:
    """Apply one stored event in its own transaction and record how it went.

    `finishes`: the id of a message this was the last event of, marked processed with it.
    """
    event = db.session.get(InboundEvent, event_id)
    integration = db.session.get(Integration, event.integration_id)
    try:
        outcome = process_change(change, integration, item_key=f"inbound:{event.id}")
        _mark_processed(finishes)
        _record_outcome(event, change, outcome)
        _commit()
        return event
    except ProcessingError as exc:
        error = str(exc)
    except IntegrityError as exc:
        error = f"conflicting concurrent change: {exc.orig}"
    except Exception as exc:  # an event must never take the request down with it
        log.exception("inbound event %s failed", event_id)
        error = f"internal error ({type(exc).__name__}); see the server log"
    db.session.rollback()
    # Locked: a queued event released by the rollback may have been applied meanwhile by
    # another process's queue (webhooks.queued); its outcome stands.
    event = db.session.get(InboundEvent, event_id, with_for_update=True)
    if event.status == "processed":
        db.session.commit()
        return event
    event.warnings = list(change.warnings)
    return record_failure(event, error, finishes)


def _applied_alone(
    message: InboundMessage, event: InboundEvent, change: InboundChange, integration: Integration
) -> bool:
    """Apply a request's only event and commit it with the request; False, all undone, if not.

    The request is then stored again and the event applied the long way (run_event), which
    keeps the request and records the failure: failures are rare, one commit is the usual.
    """
    # Read now: the rollback below takes the event's row away and expires the integration.
    dedupe_key, integration_id = event.dedupe_key, integration.id
    try:
        outcome = process_change(change, integration, item_key=f"inbound:{event.id}")
        _record_outcome(event, change, outcome)
        message.status = "processed"
        _commit()  # the inbox rows are written here (write_fan_outs): a failure there too
        return True
    except Exception:  # whatever it was, the long way meets it again and records it
        db.session.rollback()
        # Logged even when the second try succeeds: a passing failure must leave a trace.
        log.warning(
            "inbound event %s of integration %s failed on its first try; applying it again",
            dedupe_key,
            integration_id,
            exc_info=True,
        )
        return False


def _record_outcome(event: InboundEvent, change: InboundChange, outcome: Outcome) -> None:
    """Write what the event did into its row (one UPDATE with the attempt count)."""
    event.attempts += 1
    event.status = outcome.status
    event.result = outcome.as_dict()
    event.error = None
    event.warnings = [*change.warnings, *outcome.notes]
    event.processed_at = utcnow()


def record_failure(event: InboundEvent, error: str, finishes: int | None = None) -> InboundEvent:
    """Keep the event as failed, with why, ready for a replay, and commit.

    `finishes`: the id of a message this was the last event of, marked processed with it.
    """
    event.attempts += 1
    event.status, event.error, event.result = "failed", error, {}
    event.processed_at = utcnow()
    _mark_processed(finishes)
    _commit()
    return event


def _mark_processed(message_id: int | None) -> None:
    """Mark the message processed, in the caller's transaction (its last event is done)."""
    if message_id is not None:
        db.session.get(InboundMessage, message_id).status = "processed"


def replay(event: InboundEvent, translate: Translator) -> InboundEvent:
    """Translate the stored request again (current mapping) and apply this event once more."""
    if event.status == "processed":
        raise ReplayError(f"event {event.id} was processed already")
    integration = db.session.get(Integration, event.integration_id)
    if not integration.enabled:
        raise ReplayError("the integration is disabled", 409)
    message = event.message
    try:
        changes = translate(stored_request(message), integration, message_key(message))
    except InboundError as exc:
        raise ReplayError(f"the stored request no longer translates: {exc.message}", 422) from None
    change = next((c for c in changes if c.dedupe_key == event.dedupe_key), None)
    if change is None:
        raise ReplayError("the stored request no longer yields this event", 422)
    event.kind, event.record_type, event.external_id = (
        change.kind,
        change.record_type,
        change.external_id,
    )
    return run_event(event.id, change)


def stored_request(message: InboundMessage) -> InboundRequest:
    """The request as it was received, rebuilt from its stored row (to translate it again)."""
    return InboundRequest(
        method="POST",
        url=message.url,
        headers=dict(message.headers or {}),
        body=message.body,
        received_at=message.received_at,
    )
