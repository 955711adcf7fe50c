"""A CRM record's page: key fields, followers, its feed, related records."""

import sqlalchemy as sa
from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from feedserver.extensions import db
from feedserver.feed.visibility import can_see_record, visible_records
from feedserver.models import Record, RecordType
from feedserver.web.feed_views import inbox_position, record_page_feed
from feedserver.web.follow_views import follow_panel
from feedserver.web.pages import render_feed

bp = Blueprint("record_pages", __name__)

# Fields shown in the record header, in this order, when the record has them.
KEY_FIELDS = {
    "account": ["industry", "tier", "annual_revenue", "status"],
    "opportunity": ["stage", "amount", "close_date", "probability", "next_step"],
    "contact": ["title", "email", "phone"],
    "case": ["subject", "status", "priority", "escalated"],
    "visit": ["purpose", "status", "check_in_at", "check_out_at", "outcome"],
}
RELATED_SHOWN = 10


def key_fields(record: Record) -> list[tuple[str, object]]:
    """The record's headline fields first, then any other field it carries."""
    preferred = KEY_FIELDS.get(record.type_key, [])
    fields = record.fields or {}
    ordered = [name for name in preferred if name in fields]
    ordered += sorted(name for name in fields if name not in preferred)
    return [(name, fields[name]) for name in ordered]


def related_records(record: Record) -> list[tuple[RecordType, list[Record]]]:
    """An account's deals, contacts, cases and visits, grouped by type."""
    rows = db.session.scalars(
        sa.select(Record)
        .where(
            Record.account_id == record.id,
            Record.deleted_at.is_(None),
            visible_records(current_user),
        )
        .order_by(Record.type_key, Record.updated_at.desc())
    ).all()
    groups: dict[str, list[Record]] = {}
    for row in rows:
        groups.setdefault(row.type_key, []).append(row)
    types = {t.key: t for t in db.session.scalars(sa.select(RecordType))}
    return [(types[key], found[:RELATED_SHOWN]) for key, found in groups.items()]


@bp.get("/records/<int:record_id>")
@login_required
def record_page(record_id: int):
    last_seq = inbox_position(current_user)
    record = db.session.get(Record, record_id)
    if record is None or not can_see_record(current_user, record):
        abort(404)
    page = record_page_feed(current_user, record.id, request.args.get("cursor"))
    return render_feed(
        "record.html",
        page,
        last_seq=last_seq,
        record=record,
        fields=key_fields(record),
        related=related_records(record),
        follow=follow_panel(current_user, "record", record.id),
        live_filter={"record_id": record.id},
    )
