"""Client visits: log one, read it, change who sees it, check in and out."""

from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.schemas.visits import (
    CheckInSchema,
    CheckOutSchema,
    VisitCreateSchema,
    VisitSchema,
    VisitUpdateSchema,
)
from feedserver.extensions import db
from feedserver.feed.visibility import can_see_record
from feedserver.models import Record, User, Visit
from feedserver.radar.present import visit_dict
from feedserver.records.apply import ChangeError
from feedserver.records.visits import check_in, check_out, log_visit, set_visibility

blp = Blueprint("visits", __name__, description="Client visits: log, check in, check out")
protect(blp)


def visit_or_404(visit_id: int, viewer: User) -> Visit:
    """The visit if `viewer` may see it; otherwise 404, so a private visit is not even hinted."""
    visit = db.session.get(Visit, visit_id)
    if (
        visit is None
        or visit.record.deleted_at is not None
        or not can_see_record(viewer, visit.record)
    ):
        abort(404, message=f"visit {visit_id} not found")
    return visit


def rep_visit_or_404(visit_id: int, viewer: User) -> Visit:
    """A visit `viewer` may change: their own, or any when they are an admin."""
    visit = visit_or_404(visit_id, viewer)
    if visit.record.owner_id != viewer.id and not viewer.is_admin:
        abort(403, message="only the rep who made the visit (or an admin) may change it")
    return visit


def _record(record_id: int | None, field: str, kind: str) -> Record | None:
    if record_id is None:
        return None
    record = db.session.get(Record, record_id)
    if record is None or record.type_key != kind or record.deleted_at is not None:
        abort(422, message=f"no {kind} {record_id}", errors={field: [f"not an {kind}"]})
    return record


def commit_or_abort(action):
    try:
        result = action()
    except ChangeError as exc:
        db.session.rollback()
        abort(
            exc.status,
            message=exc.message,
            errors={exc.field: [exc.message]} if exc.field else None,
        )
    db.session.commit()
    return result


@blp.post("/visits")
@blp.arguments(VisitCreateSchema)
@blp.response(201, VisitSchema)
def create_visit(data):
    """Log a client visit as the signed-in rep; the team (or whoever it is shared with) sees it."""
    if current_user.is_bot:
        abort(403, message="integrations log visits through POST /api/v1/webhooks/events")
    account = _record(data["account_id"], "account_id", "account")
    deal = _record(data.get("deal_id"), "deal_id", "opportunity")
    result = commit_or_abort(
        lambda: log_visit(
            account=account,
            rep=current_user,
            actor_id=current_user.id,
            visited_at=data.get("visited_at"),
            contacts=data.get("contacts", []),
            purpose=data.get("purpose"),
            notes=data.get("notes"),
            deal=deal,
            visibility=data.get("visibility", "team"),
            check_in_at=data.get("check_in_at"),
            place=data.get("place"),
        )
    )
    return visit_dict(db.session.get(Visit, result.record.id))


@blp.get("/visits/<id:visit_id>")
@blp.response(200, VisitSchema)
def get_visit(visit_id):
    """One visit, if you may see it."""
    return visit_dict(visit_or_404(visit_id, current_user))


@blp.patch("/visits/<id:visit_id>")
@blp.arguments(VisitUpdateSchema)
@blp.response(200, VisitSchema)
def update_visit(data, visit_id):
    """Change who may see a visit (the rep or an admin)."""
    visit = rep_visit_or_404(visit_id, current_user)
    commit_or_abort(lambda: set_visibility(visit, data["visibility"]))
    return visit_dict(visit)


@blp.post("/visits/<id:visit_id>/check-in")
@blp.arguments(CheckInSchema)
@blp.response(200, VisitSchema)
def check_in_visit(data, visit_id):
    """The rep arrived on site (now, or at `at`)."""
    visit = rep_visit_or_404(visit_id, current_user)
    commit_or_abort(lambda: check_in(visit, current_user.id, data.get("at"), data.get("place")))
    return visit_dict(visit)


@blp.post("/visits/<id:visit_id>/check-out")
@blp.arguments(CheckOutSchema)
@blp.response(200, VisitSchema)
def check_out_visit(data, visit_id):
    """The rep left (now, or at `at`); the visit is completed."""
    visit = rep_visit_or_404(visit_id, current_user)
    commit_or_abort(lambda: check_out(visit, current_user.id, data.get("at"), data.get("outcome")))
    return visit_dict(visit)
