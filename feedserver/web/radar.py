"""The team radar page (a live wall of the team's visits) and the phone-friendly visit form."""

from datetime import UTC, datetime, timedelta

import marshmallow as ma
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.api.schemas.visits import RadarArgsSchema, VisitCreateSchema
from feedserver.extensions import db
from feedserver.feed.teams import team_ids
from feedserver.models import Record, User
from feedserver.radar.board import radar
from feedserver.records.apply import ChangeError
from feedserver.records.visits import log_visit
from feedserver.web.feed_views import inbox_position

bp = Blueprint("radar_pages", __name__)

VISIBILITY_LABELS = {
    "team": "My team (managers, reports, followers)",
    "company": "Everyone in the company",
    "private": "Only me",
}


def _radar_args() -> tuple[User, int]:
    try:
        args = RadarArgsSchema().load(
            {k: v for k, v in request.args.items() if k in ("team", "stale_days") and v}
        )
    except ma.ValidationError:
        abort(400, description="team must be a person and stale_days a number of days")
    team = db.session.get(User, args["team"]) if "team" in args else current_user
    if team is None:
        abort(404)
    return team, args.get("stale_days") or current_app.config["RADAR_STALE_DAYS"]


def team_choices(viewer: User) -> list[User]:
    """The teams a viewer may pick: their own and every manager's below them (any, for admins)."""
    has_reports = sa.select(User.manager_id).where(User.manager_id.is_not(None))
    query = sa.select(User).where(User.id.in_(has_reports), User.active.is_(True))
    if not viewer.is_admin:
        query = query.where(User.id.in_(team_ids(viewer.id)))
    managers = [u for u in db.session.scalars(query.order_by(User.name)) if u.id != viewer.id]
    return [viewer, *managers]


@bp.get("/radar")
@login_required
def radar_page():
    team, stale_days = _radar_args()
    return render_template(
        "radar.html",
        board=radar(current_user, team, stale_days),
        teams=team_choices(current_user),
        last_seq=inbox_position(current_user),
        board_url=url_for(".radar_board", team=team.id, stale_days=stale_days),
    )


@bp.get("/radar/board")
@login_required
def radar_board():
    """The board alone, for the page to refresh in place when a visit changes."""
    team, stale_days = _radar_args()
    return render_template("_radar_board.html", board=radar(current_user, team, stale_days))


def _form_choices() -> dict:
    accounts = db.session.scalars(
        sa.select(Record)
        .where(Record.type_key == "account", Record.deleted_at.is_(None))
        .order_by(Record.name)
    ).all()
    deals = db.session.scalars(
        sa.select(Record)
        .where(Record.type_key == "opportunity", Record.deleted_at.is_(None))
        .order_by(Record.name)
    ).all()
    contacts = db.session.scalars(
        sa.select(Record.name)
        .where(Record.type_key == "contact", Record.deleted_at.is_(None))
        .order_by(Record.name)
        .distinct()
    ).all()
    return {
        "accounts": accounts,
        "deals": deals,
        "contact_names": contacts,
        "visibilities": VISIBILITY_LABELS,
    }


@bp.get("/visits/new")
@login_required
def new_visit():
    form = {"account_id": request.args.get("account", ""), "visibility": "team"}
    return render_template("radar_visit_form.html", form=form, errors={}, **_form_choices())


def _check_in_time(form) -> str | None:
    """The form's local check-in time as an aware ISO time (the page sends its UTC offset)."""
    value = form.get("check_in_at", "").strip()
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
        offset = int(form.get("tz_offset") or 0)  # minutes, as JavaScript's getTimezoneOffset
    except ValueError:
        return "not-a-time"
    if local.tzinfo is None and abs(offset) <= 14 * 60:
        local = (local + timedelta(minutes=offset)).replace(tzinfo=UTC)
    return local.isoformat()


def _load_form(form) -> dict:
    raw = {
        "account_id": form.get("account_id") or None,
        "deal_id": form.get("deal_id") or None,
        "contacts": [c.strip() for c in form.get("contacts", "").split(",") if c.strip()],
        "purpose": form.get("purpose", "").strip() or None,
        "notes": form.get("notes", "").strip() or None,
        "visibility": form.get("visibility") or "team",
        "check_in_at": _check_in_time(form),
        "place": form.get("place", "").strip() or None,
    }
    data = {k: v for k, v in raw.items() if v is not None}
    for key in ("account_id", "deal_id"):
        if key in data:
            data[key] = int(data[key]) if str(data[key]).isdigit() else data[key]
    return VisitCreateSchema().load(data)


@bp.post("/visits/new")
@login_required
def create_visit():
    form = request.form
    errors: dict[str, list[str]] = {}
    try:
        data = _load_form(form)
        account = db.session.get(Record, data["account_id"])
        deal = db.session.get(Record, data["deal_id"]) if data.get("deal_id") else None
        if account is None:
            raise ChangeError("choose an account", "account_id")
        if data.get("deal_id") and deal is None:
            raise ChangeError("choose a deal of this account", "deal_id")
        log_visit(
            account=account,
            rep=current_user,
            actor_id=current_user.id,
            contacts=data.get("contacts", []),
            purpose=data.get("purpose"),
            notes=data.get("notes"),
            deal=deal,
            visibility=data.get("visibility", "team"),
            check_in_at=data.get("check_in_at"),
            place=data.get("place"),
        )
    except ma.ValidationError as exc:
        errors = {k: v if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}
    except ChangeError as exc:
        db.session.rollback()
        errors = {("deal_id" if exc.field == "deal" else exc.field or "account_id"): [exc.message]}
    if errors:
        return render_template(
            "radar_visit_form.html", form=form, errors=errors, **_form_choices()
        ), 422
    db.session.commit()
    flash(f"Visit to {account.name} logged.", "success")
    return redirect(url_for(".radar_page"))
