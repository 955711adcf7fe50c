"""Client visits: log one for an account, check in and out; the rep's line and followers see it.

Who may see a visit is decided in feed.visit_visibility (by its visibility: team, company,
private); who gets it delivered is the visit record's audience (followers of the rep and the
account, and the rep's managers while the rep shares visits with them).
"""

from collections.abc import Iterable
from datetime import datetime

from feedserver.extensions import db
from feedserver.feed.audience import record_audience
from feedserver.feed.publish import publish
from feedserver.models import VISIT_VISIBILITIES, FeedItem, Record, RecordType, User, Visit
from feedserver.models.record import NATIVE_SOURCE
from feedserver.orm import utcnow
from feedserver.radar.live import announce_visit
from feedserver.records.apply import ChangeError, ChangeResult, apply_change
from feedserver.records.changes import RecordChange
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
    deal: Record | None = None,
    visibility: str = "team",
    check_in_at: datetime | None = None,
    place: str | None = None,
    source: str = NATIVE_SOURCE,
    external_id: str | None = None,
    idempotency_key: str | None = None,
) -> ChangeResult:
    """Record that `rep` visited `account` and publish it; the caller commits.

    With `check_in_at` the rep is checked in (on site) from then; a visit in the future is
    planned; otherwise it is logged as completed.
    """
    if account.type_key != "account" or account.deleted_at is not None:
        raise ChangeError("a visit is logged for an account record", "account")
    if deal is not None and (deal.type_key != "opportunity" or deal.account_id != account.id):
        raise ChangeError("the deal must be an opportunity of the visited account", "deal")
    if visibility not in VISIT_VISIBILITIES:
        raise ChangeError(f"visibility is one of {', '.join(VISIT_VISIBILITIES)}", "visibility")
    visit_type = db.session.get(RecordType, VISIT_TYPE)
    if visit_type is None:
        raise ChangeError(f"unknown record type {VISIT_TYPE!r}", "type")
    now = utcnow()
    visited_at = check_in_at or visited_at or now
    status = "checked_in" if check_in_at else "planned" if visited_at > now else "completed"
    fields = {
        "visited_at": visited_at.isoformat(),
        "contacts": [c for c in contacts if c],
        "status": status,
    }
    if check_in_at:
        fields["check_in_at"] = check_in_at.isoformat()
    if place:
        fields["place"] = place
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
    visit = db.session.get(Visit, record.id)  # created with the record (models.visit)
    visit.visibility = visibility
    visit.visited_at = visited_at
    visit.checked_in_at = check_in_at
    visit.place = place
    visit.deal_id = deal.id if deal is not None else None
    db.session.flush()
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
        published=visited_at if visited_at <= now else now,
        body=notes,
        changes=changes,
        source=source,
        idempotency_key=idempotency_key,
    )
    publish(item, record_audience(record, actor_id))
    announce_visit(record, visit)
    return ChangeResult(record, item, created=True)


def check_in(
    visit: Visit, actor_id: int, at: datetime | None = None, place: str | None = None
) -> ChangeResult:
    """The rep arrived: the visit is on site from `at` (default now); the caller commits."""
    if visit.checked_out_at is not None:
        raise ChangeError("the visit is already checked out", "visit", status=409)
    if visit.checked_in_at is not None:
        raise ChangeError("the visit is already checked in", "visit", status=409)
    at = at or utcnow()
    fields = {"status": "checked_in", "check_in_at": at.isoformat(), "visited_at": at.isoformat()}
    if place:
        fields["place"] = place
    result = _change(visit, actor_id, fields)
    visit.checked_in_at = at
    visit.visited_at = at
    if place:
        visit.place = place
    db.session.flush()
    announce_visit(visit.record, visit)
    return result


def check_out(
    visit: Visit, actor_id: int, at: datetime | None = None, outcome: str | None = None
) -> ChangeResult:
    """The rep left: the visit is completed at `at` (default now); the caller commits."""
    if visit.checked_in_at is None:
        raise ChangeError("check in before checking out", "visit", status=409)
    if visit.checked_out_at is not None:
        raise ChangeError("the visit is already checked out", "visit", status=409)
    at = at or utcnow()
    if at < visit.checked_in_at:
        raise ChangeError("check-out cannot be before check-in", "at")
    fields = {"status": "completed", "check_out_at": at.isoformat()}
    if outcome:
        fields["outcome"] = outcome
    result = _change(visit, actor_id, fields)
    visit.checked_out_at = at
    db.session.flush()
    announce_visit(visit.record, visit)
    return result


def set_visibility(visit: Visit, visibility: str) -> None:
    """Change who may see the visit (and everything about it, already delivered or not)."""
    if visibility not in VISIT_VISIBILITIES:
        raise ChangeError(f"visibility is one of {', '.join(VISIT_VISIBILITIES)}", "visibility")
    visit.visibility = visibility
    db.session.flush()
    announce_visit(visit.record, visit)


def _change(visit: Visit, actor_id: int, fields: dict) -> ChangeResult:
    if visit.record.deleted_at is not None:
        raise ChangeError("the visit was deleted", "visit", status=409)
    return apply_change(
        RecordChange(
            action="update",
            record_type=VISIT_TYPE,
            record_id=visit.record_id,
            actor_id=actor_id,
            fields=fields,
        )
    )
