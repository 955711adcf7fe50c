"""People: who am I, find colleagues, who follows whom."""

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.users import UserPageSchema, UserSchema, UserSearchArgsSchema
from feedserver.extensions import db
from feedserver.feed.follows import followers_of_subject
from feedserver.models import Follow, User

blp = Blueprint("users", __name__, description="People and who they follow")
protect(blp)


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, message=f"user {user_id} not found")
    return user


@blp.get("/me")
@blp.response(200, UserSchema)
def me():
    """The signed-in user."""
    return current_user


@blp.get("/users")
@blp.arguments(UserSearchArgsSchema, location="query")
@blp.response(200, UserPageSchema)
def list_users(args):
    """List or search active people, alphabetically stable by id."""
    query = sa.select(User).where(User.active.is_(True)).order_by(User.id.desc())
    if args.get("q"):
        pattern = f"%{args['q'].lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(User.name).like(pattern),
                sa.func.lower(User.email).like(pattern),
                sa.func.lower(User.title).like(pattern),
                sa.func.lower(User.department).like(pattern),
            )
        )
    page = page_or_400(query, User.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.get("/users/<id:user_id>")
@blp.response(200, UserSchema)
def get_user(user_id):
    """One person."""
    return get_user_or_404(user_id)


@blp.get("/users/<id:user_id>/following")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, UserPageSchema)
def user_following(args, user_id):
    """The colleagues a person follows."""
    get_user_or_404(user_id)
    query = (
        sa.select(User)
        .join(Follow, sa.and_(Follow.subject_kind == "user", Follow.subject_id == User.id))
        .where(Follow.follower_id == user_id)
        .order_by(Follow.id.desc())
    )
    page = page_or_400(query, Follow.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.get("/users/<id:user_id>/followers")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, UserPageSchema)
def user_followers(args, user_id):
    """The people following a person."""
    get_user_or_404(user_id)
    page = page_or_400(followers_of_subject("user", user_id), Follow.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}
