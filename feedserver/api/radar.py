"""The team radar as JSON (for dashboards elsewhere), and who shares visits with managers."""

from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect, require_admin
from feedserver.api.pagination import page_or_400
from feedserver.api.presenters import item_dicts
from feedserver.api.schemas.feed import FeedPageSchema
from feedserver.api.schemas.visits import (
    RadarArgsSchema,
    RadarSchema,
    TeamFeedArgsSchema,
    VisitSharingSchema,
    VisitSharingStateSchema,
)
from feedserver.extensions import db
from feedserver.models import FeedItem, User
from feedserver.radar.board import radar
from feedserver.radar.feed import team_feed
from feedserver.radar.present import radar_dict

blp = Blueprint("radar", __name__, description="The team radar: a team's client visits")
protect(blp)


def _person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, message=f"user {user_id} not found")
    return user


def stale_days_or_default(value: int | None) -> int:
    return value or current_app.config["RADAR_STALE_DAYS"]


@blp.get("/radar")
@blp.arguments(RadarArgsSchema, location="query")
@blp.response(200, RadarSchema)
def get_radar(args):
    """Visits of your team (or of `team`: a manager and everyone below), with counts."""
    team = _person_or_404(args["team"]) if "team" in args else current_user
    board = radar(current_user, team, stale_days_or_default(args.get("stale_days")))
    return radar_dict(board)


@blp.get("/radar/feed")
@blp.arguments(TeamFeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def get_team_feed(args):
    """Visits and deal changes of your team (or of `team`), as far as you may see them."""
    team = _person_or_404(args["team"]) if "team" in args else current_user
    query = team_feed(current_user, team.id)
    if args.get("record_type"):
        query = query.where(FeedItem.record_type == args["record_type"])
    page = page_or_400(query, FeedItem.id, args)
    return {"items": item_dicts(page.rows), "next_cursor": page.next_cursor}


@blp.get("/users/<id:user_id>/visit-sharing")
@blp.response(200, VisitSharingStateSchema)
def get_visit_sharing(user_id):
    """Whether a person's manager chain gets their visits automatically."""
    user = _person_or_404(user_id)
    return {"user": user, "share_visits_with_managers": user.share_visits_with_managers}


@blp.put("/users/<id:user_id>/visit-sharing")
@blp.arguments(VisitSharingSchema)
@blp.response(200, VisitSharingStateSchema)
def set_visit_sharing(data, user_id):
    """Set whether a person's manager chain gets their visits automatically (admins only)."""
    require_admin(current_user)
    user = _person_or_404(user_id)
    user.share_visits_with_managers = data["share_visits_with_managers"]
    db.session.commit()
    return {"user": user, "share_visits_with_managers": user.share_visits_with_managers}
