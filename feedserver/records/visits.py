"""Client visits: a visit record for an account, seen by the rep's followers and managers."""

from collections.abc import Iterable
from datetime import datetime

from feedserver.auth.users import management_chain
from feedserver.extensions import db
from feedserver.feed.audience import record_audience
from feedserver.feed.publish import publish
from feedserver.models import FeedItem, Record, RecordType, User
from feedserver.models.record import NATIVE_SOURCE
from feedserver.orm import utcnow
from feedserver.records.apply import ChangeError, ChangeResult
from feedserver.records.diff import diff, tracked_values

VISIT_TYPE = "visit"


def log_visit(
    *,
    account: Record,
    rep: User,
    actor_id: int | None,
    visited_at: datetime | None = None,
    contacts: Iterable[str] = (),
    purpose: str | None = None,
    notes: str | None = None,
    source: str = NATIVE_SOURCE,
    external_id: str | None = None,
    idempotency_key: str | None = None,
) -> ChangeResult:
    """Record that `rep` visited `account` and publish it; the caller commits."""
    if account.type_key != "account":
        raise ChangeError("a visit is logged for an account record", "account")
    visit_type = db.session.get(RecordType, VISIT_TYPE)
    if visit_type is None:
        raise ChangeError(f"unknown record type {VISIT_TYPE!r}", "type")
    visited_at = visited_at or utcnow()
    fields = {
        "visited_at": visited_at.isoformat(),
        "contacts": [c for c in contacts if c],
        "status": "completed",
    }
    if purpose:
        fields["purpose"] = purpose
    if notes:
        fields["notes"] = notes
    record = Record(
        type_key=VISIT_TYPE,
        source=source,
        external_id=external_id,
        name=f"Visit to {account.name}, {visited_at:%d %b %Y}",
        owner_id=rep.id,
        account_id=account.id,
        fields=fields,
    )
    db.session.add(record)
    db.session.flush()
    db.session.refresh(record, ["owner", "account"])
    tracked = visit_type.tracked_fields or []
    changes = [c.as_dict() for c in diff({}, tracked_values(record, tracked)) if c.new is not None]
    item = FeedItem(
        actor_id=actor_id,
        verb="create",
        object_kind="record",
        object_id=record.id,
        target_kind="record",
        target_id=account.id,
        record_type=VISIT_TYPE,
        published=visited_at,
        body=notes,
        changes=changes,
        source=source,
        idempotency_key=idempotency_key,
    )
    publish(item, visit_audience(record, rep, actor_id))
    return ChangeResult(record, item, created=True)


def visit_audience(record: Record, rep: User, actor_id: int | None) -> set[int]:
    """Followers of the visit, its account, the rep and the actor, plus every manager above."""
    return record_audience(record, actor_id) | {manager.id for manager in management_chain(rep)}
