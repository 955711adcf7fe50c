"""CRM records: list, read, create, change (tracked changes become feed items), delete."""

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect, require_admin
from feedserver.api.pagination import page_or_400
from feedserver.api.schemas.records import (
    RecordCreateSchema,
    RecordListArgsSchema,
    RecordPageSchema,
    RecordSchema,
    RecordTypeSchema,
    RecordTypeUpdateSchema,
    RecordUpdateSchema,
)
from feedserver.extensions import db
from feedserver.feed.visibility import can_see_record, visible_records
from feedserver.models import Record, RecordType, User
from feedserver.records.apply import ChangeError, apply_change
from feedserver.records.changes import UNSET, RecordChange

blp = Blueprint("records", __name__, description="CRM records and their tracked fields")
protect(blp)


def get_record_or_404(record_id: int) -> Record:
    record = db.session.get(Record, record_id)
    if record is None or not can_see_record(current_user, record):
        abort(404, message=f"record {record_id} not found")
    return record


def _check_owner(owner_id) -> None:
    if owner_id not in (UNSET, None) and db.session.get(User, owner_id) is None:
        abort(422, message=f"user {owner_id} not found", errors={"owner_id": ["no such user"]})


def apply_or_abort(change: RecordChange):
    try:
        result = apply_change(change)
    except ChangeError as exc:
        db.session.rollback()
        errors = {exc.field: [exc.message]} if exc.field else None
        abort(exc.status, message=exc.message, errors=errors)
    db.session.commit()
    return result


@blp.get("/records")
@blp.arguments(RecordListArgsSchema, location="query")
@blp.response(200, RecordPageSchema)
def list_records(args):
    """List records, filtered by type, owner, account or name."""
    query = sa.select(Record).where(visible_records(current_user)).order_by(Record.id.desc())
    if not args["include_deleted"]:
        query = query.where(Record.deleted_at.is_(None))
    if args.get("type"):
        query = query.where(Record.type_key == args["type"])
    if args.get("owner_id") is not None:
        query = query.where(Record.owner_id == args["owner_id"])
    if args.get("account_id") is not None:
        query = query.where(Record.account_id == args["account_id"])
    if args.get("q"):
        query = query.where(sa.func.lower(Record.name).like(f"%{args['q'].lower()}%"))
    page = page_or_400(query, Record.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.post("/records")
@blp.arguments(RecordCreateSchema)
@blp.response(201, RecordSchema)
def create_record(args):
    """Create a record; its followers-to-be see it once they follow."""
    _check_owner(args.get("owner_id", UNSET))
    change = RecordChange(
        action="create",
        record_type=args["type"],
        actor_id=current_user.id,
        external_id=args.get("external_id"),
        name=args["name"],
        owner_id=args.get("owner_id", current_user.id),
        account_id=args.get("account_id", UNSET),
        fields=args.get("fields", {}),
    )
    return apply_or_abort(change).record


@blp.get("/records/<id:record_id>")
@blp.response(200, RecordSchema)
def get_record(record_id):
    """One record with its current field values."""
    return get_record_or_404(record_id)


@blp.patch("/records/<id:record_id>")
@blp.arguments(RecordUpdateSchema)
@blp.response(200, RecordSchema)
def update_record(args, record_id):
    """Change fields; each change of a tracked field is published to the record's followers."""
    record = get_record_or_404(record_id)
    _check_owner(args.get("owner_id", UNSET))
    change = RecordChange(
        action="update",
        record_type=record.type_key,
        record_id=record.id,
        actor_id=current_user.id,
        name=args.get("name", UNSET),
        owner_id=args.get("owner_id", UNSET),
        account_id=args.get("account_id", UNSET),
        fields=args.get("fields", {}),
    )
    return apply_or_abort(change).record


@blp.delete("/records/<id:record_id>")
@blp.response(204)
def delete_record(record_id):
    """Delete a record (softly: its history stays)."""
    record = get_record_or_404(record_id)
    apply_or_abort(
        RecordChange(
            action="delete",
            record_type=record.type_key,
            record_id=record.id,
            actor_id=current_user.id,
        )
    )


@blp.get("/record-types")
@blp.response(200, RecordTypeSchema(many=True))
def list_record_types():
    """The record types and the fields each tracks."""
    return db.session.scalars(sa.select(RecordType).order_by(RecordType.key)).all()


@blp.patch("/record-types/<string:key>")
@blp.arguments(RecordTypeUpdateSchema)
@blp.response(200, RecordTypeSchema)
def update_record_type(args, key):
    """Choose which fields of a record type are tracked (administrators only)."""
    require_admin(current_user)
    record_type = db.session.get(RecordType, key)
    if record_type is None:
        abort(404, message=f"record type {key!r} not found")
    record_type.tracked_fields = list(dict.fromkeys(args["tracked_fields"]))
    db.session.commit()
    return record_type
