"""Mute and unmute items, records and people; list what I muted."""

from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.refusals import refusals
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.conversations import MutePageSchema, MuteRequestSchema, MuteSchema
from feedserver.conversations.mutes import mute, mutes_of, unmute
from feedserver.extensions import db
from feedserver.models import MUTABLE_KINDS, Mute

blp = Blueprint("mutes", __name__, description="Muting items, records and people")
protect(blp)


@blp.get("/mutes")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MutePageSchema)
def list_mutes(args):
    """What I muted, newest first."""
    page = page_or_400(mutes_of(current_user), Mute.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.post("/mutes")
@blp.arguments(MuteRequestSchema)
@blp.response(200, MuteSchema)
def create_mute(args):
    """Mute an item, a record or a person: no more home-feed items or notifications from it."""
    with refusals():
        row = mute(current_user, args["kind"], args["id"])
    db.session.commit()
    return row


@blp.delete("/mutes/<string:kind>/<id:subject_id>")
@blp.response(204)
def delete_mute(kind, subject_id):
    """Unmute."""
    if kind not in MUTABLE_KINDS or not unmute(current_user, kind, subject_id):
        abort(404, message=f"you have not muted {kind} {subject_id}")
    db.session.commit()
