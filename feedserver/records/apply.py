"""Apply a RecordChange: upsert the record, diff tracked fields, publish one feed item."""

from dataclasses import dataclass

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.audience import record_audience
from feedserver.feed.publish import publish
from feedserver.models import FeedItem, Record, RecordType
from feedserver.orm import utcnow
from feedserver.records.changes import UNSET, RecordChange
from feedserver.records.diff import diff, tracked_values


class ChangeError(ValueError):
    """A change that cannot be applied; `field` names the culprit when there is one."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


@dataclass
class ChangeResult:
    record: Record
    item: FeedItem | None
    created: bool = False


def find_record(change: RecordChange) -> Record | None:
    if change.record_id is not None:
        return db.session.get(Record, change.record_id)
    if change.external_id is None:
        return None
    return db.session.scalar(
        sa.select(Record).where(
            Record.source == change.source,
            Record.type_key == change.record_type,
            Record.external_id == change.external_id,
        )
    )


def apply_change(change: RecordChange) -> ChangeResult:
    """Bring the stored record in line with the change and publish what a follower should see.

    The caller owns the transaction: nothing is committed here.
    """
    record_type = db.session.get(RecordType, change.record_type)
    if record_type is None:
        raise ChangeError(f"unknown record type {change.record_type!r}", "type")
    record = find_record(change)
    if record is not None and record.type_key != change.record_type:
        raise ChangeError("record type cannot change", "type")

    if change.action == "create" and record is not None:
        raise ChangeError("record already exists", "external_id", status=409)
    if change.action in ("update", "delete", "undelete") and record is None:
        if change.action == "update" and change.external_id is not None:
            change.action = "upsert"  # CRMs send updates for records we never saw
        else:
            raise ChangeError("record not found", "id", status=404)

    tracked = record_type.tracked_fields or []
    if record is None:
        return _create(change, tracked)
    if change.action in ("delete", "undelete"):
        return _set_deleted(record, change, deleted=change.action == "delete")
    return _update(record, change, tracked)


def _assign(record: Record, change: RecordChange) -> None:
    people_and_account = (record.owner_id, record.account_id)
    if change.name is not UNSET:
        if not change.name:
            raise ChangeError("name must not be empty", "name")
        record.name = change.name
    if change.owner_id is not UNSET:
        record.owner_id = change.owner_id
    if change.account_id is not UNSET:
        if change.account_id is not None:
            if change.account_id == record.id:
                raise ChangeError("a record cannot be its own account", "account_id")
            account = db.session.get(Record, change.account_id)
            if account is None or account.type_key != "account":
                raise ChangeError("account must be an account record", "account_id")
        record.account_id = change.account_id
    if change.fields:
        record.fields = {**(record.fields or {}), **change.fields}
    if record.id is None or (record.owner_id, record.account_id) != people_and_account:
        # A new record needs its id; relationships must reflect new ids before tracked
        # values are read. Otherwise the change is flushed once, with its version bump.
        db.session.flush()
        db.session.refresh(record, ["owner", "account"])


def _create(change: RecordChange, tracked: list[str]) -> ChangeResult:
    if change.name is UNSET or not change.name:
        raise ChangeError("name is required", "name")
    record = Record(
        type_key=change.record_type,
        source=change.source,
        external_id=change.external_id,
        name=change.name,
        fields={},
    )
    db.session.add(record)
    _assign(record, change)
    changes = [c.as_dict() for c in diff({}, tracked_values(record, tracked)) if c.new is not None]
    item = _publish(record, change, "create", changes)
    return ChangeResult(record, item, created=True)


def _update(record: Record, change: RecordChange, tracked: list[str]) -> ChangeResult:
    before_all = _snapshot(record)
    before = tracked_values(record, tracked)
    if record.deleted_at is not None and change.action == "upsert":
        record.deleted_at = None
    _assign(record, change)
    if _snapshot(record) == before_all:
        return ChangeResult(record, None)
    record.version += 1
    record.updated_at = utcnow()
    changes = [c.as_dict() for c in diff(before, tracked_values(record, tracked))]
    # Only tracked fields are news; untracked edits update the record quietly.
    item = _publish(record, change, "update", changes) if changes else None
    return ChangeResult(record, item)


def _set_deleted(record: Record, change: RecordChange, deleted: bool) -> ChangeResult:
    if (record.deleted_at is not None) == deleted:
        return ChangeResult(record, None)
    record.deleted_at = utcnow() if deleted else None
    record.version += 1
    item = _publish(record, change, "delete" if deleted else "undelete", [])
    return ChangeResult(record, item)


def _snapshot(record: Record) -> tuple:
    return (record.name, record.owner_id, record.account_id, dict(record.fields or {}))


def _publish(record: Record, change: RecordChange, verb: str, changes: list) -> FeedItem:
    item = FeedItem(
        actor_id=change.actor_id,
        verb=verb,
        object_kind="record",
        object_id=record.id,
        target_kind="record" if record.account_id else None,
        target_id=record.account_id,
        record_type=record.type_key,
        published=change.occurred_at or utcnow(),
        changes=changes,
        source=change.source,
        idempotency_key=change.idempotency_key,
    )
    publish(item, record_audience(record, change.actor_id))
    return item
