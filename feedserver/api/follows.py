"""Follow and unfollow colleagues and records; list what I follow."""

from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.presenters import load_references, reference
from feedserver.api.schemas.feed import (
    FollowListArgsSchema,
    FollowPageSchema,
    FollowRequestSchema,
    FollowSchema,
)
from feedserver.extensions import db
from feedserver.feed.follows import FollowError, follow, following_of, unfollow
from feedserver.models import FOLLOWABLE_KINDS, Follow

blp = Blueprint("follows", __name__, description="Following people and records")
protect(blp)


def _with_subjects(follows: list[Follow]) -> list[dict]:
    found = load_references((f.subject_kind, f.subject_id) for f in follows)
    return [
        {
            "id": f.id,
            "subject_kind": f.subject_kind,
            "created_at": f.created_at,
            "subject": reference(f.subject_kind, f.subject_id, found),
        }
        for f in follows
    ]


@blp.get("/follows")
@blp.arguments(FollowListArgsSchema, location="query")
@blp.response(200, FollowPageSchema)
def list_follows(args):
    """What I follow, newest first."""
    page = page_or_400(following_of(current_user.id, args.get("kind")), Follow.id, args)
    return {"items": _with_subjects(page.rows), "next_cursor": page.next_cursor}


@blp.post("/follows")
@blp.arguments(FollowRequestSchema)
@blp.response(200, FollowSchema)
def create_follow(args):
    """Follow a person or a record; following again is not an error."""
    try:
        row = follow(current_user, args["kind"], args["id"])
    except FollowError as exc:
        db.session.rollback()
        abort(exc.status, message=exc.message)
    db.session.commit()
    return _with_subjects([row])[0]


@blp.delete("/follows/<string:kind>/<id:subject_id>")
@blp.response(204)
def delete_follow(kind, subject_id):
    """Stop following a person or a record."""
    if kind not in FOLLOWABLE_KINDS:
        abort(404, message=f"cannot follow a {kind!r}")
    if not unfollow(current_user, kind, subject_id):
        abort(404, message=f"you do not follow {kind} {subject_id}")
    db.session.commit()
