"""Groups: create, list, join or ask to join, approve, roles, archive, and the group feed."""

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.feeds import item_page
from feedserver.api.pagination import page_or_400
from feedserver.api.refusals import refusals
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.feed import FeedArgsSchema, FeedPageSchema
from feedserver.api.schemas.groups import (
    GroupCreateSchema,
    GroupListArgsSchema,
    GroupPageSchema,
    GroupSchema,
    GroupUpdateSchema,
    JoinResultSchema,
    MemberPageSchema,
    RequestPageSchema,
    RoleSchema,
)
from feedserver.extensions import db
from feedserver.feed.queries import group_feed
from feedserver.groups import membership
from feedserver.models import Group, GroupJoinRequest, GroupMember, User

blp = Blueprint("groups", __name__, description="Groups")
protect(blp)


def _groups_json(groups: list[Group]) -> list[dict]:
    ids = [g.id for g in groups]
    counts = (
        dict(
            db.session.execute(
                sa.select(GroupMember.group_id, sa.func.count())
                .where(GroupMember.group_id.in_(ids))
                .group_by(GroupMember.group_id)
            ).all()
        )
        if ids
        else {}
    )
    roles = (
        dict(
            db.session.execute(
                sa.select(GroupMember.group_id, GroupMember.role).where(
                    GroupMember.group_id.in_(ids), GroupMember.user_id == current_user.id
                )
            ).all()
        )
        if ids
        else {}
    )
    requested = (
        set(
            db.session.scalars(
                sa.select(GroupJoinRequest.group_id).where(
                    GroupJoinRequest.group_id.in_(ids), GroupJoinRequest.user_id == current_user.id
                )
            )
        )
        if ids
        else set()
    )
    return [
        {
            "id": g.id,
            "name": g.name,
            "description": g.description,
            "visibility": g.visibility,
            "owner_id": g.owner_id,
            "member_count": counts.get(g.id, 0),
            "my_role": roles.get(g.id),
            "requested": g.id in requested,
            "archived_at": g.archived_at,
            "created_at": g.created_at,
        }
        for g in groups
    ]  # fmt: skip


def _group(group_id: int) -> Group:
    with refusals():
        return membership.get_group(group_id)


def _readable_group(group_id: int) -> Group:
    with refusals():
        return membership.get_readable_group(current_user, group_id)


@blp.get("/groups")
@blp.arguments(GroupListArgsSchema, location="query")
@blp.response(200, GroupPageSchema)
def list_groups(args):
    """Every group (private ones show only their name and size); with mine=true only mine."""
    query = sa.select(Group).order_by(Group.id.desc())
    if args["mine"]:
        mine = sa.select(GroupMember.group_id).where(GroupMember.user_id == current_user.id)
        query = query.where(Group.id.in_(mine))
    page = page_or_400(query, Group.id, args)
    return {"items": _groups_json(page.rows), "next_cursor": page.next_cursor}


@blp.post("/groups")
@blp.arguments(GroupCreateSchema)
@blp.response(201, GroupSchema)
def create_group(args):
    """Create a group; I become its owner."""
    with refusals():
        group = membership.create_group(
            current_user, args["name"], args["visibility"], args.get("description")
        )
    db.session.commit()
    return _groups_json([group])[0]


@blp.get("/groups/<id:group_id>")
@blp.response(200, GroupSchema)
def read_group(group_id):
    """A group's details (a private group's posts and members are for its members only)."""
    return _groups_json([_group(group_id)])[0]


@blp.patch("/groups/<id:group_id>")
@blp.arguments(GroupUpdateSchema)
@blp.response(200, GroupSchema)
def update_group(args, group_id):
    """Rename a group, describe it, or make it public or private (owner and managers)."""
    with refusals():
        group = membership.update_group(current_user, _group(group_id), args)
    db.session.commit()
    return _groups_json([group])[0]


@blp.post("/groups/<id:group_id>/archive")
@blp.response(200, GroupSchema)
def archive_group(group_id):
    """Archive a group: readable, but closed to new posts, comments and members."""
    with refusals():
        group = membership.archive(current_user, _group(group_id))
    db.session.commit()
    return _groups_json([group])[0]


@blp.post("/groups/<id:group_id>/join")
@blp.response(200, JoinResultSchema)
def join_group(group_id):
    """Join a public group, or ask to join a private one (its managers decide)."""
    with refusals():
        status = membership.join(current_user, membership.get_group(group_id))
    db.session.commit()
    return {"status": status}


@blp.get("/groups/<id:group_id>/members")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MemberPageSchema)
def list_members(args, group_id):
    """A group's members and their roles (a private group's: members only)."""
    group = _readable_group(group_id)
    page = page_or_400(membership.members(group), User.id, args)
    return {
        "items": [{"user": user, "role": role} for user, role in page.rows],
        "next_cursor": page.next_cursor,
    }


@blp.patch("/groups/<id:group_id>/members/<id:user_id>")
@blp.arguments(RoleSchema)
@blp.response(204)
def set_role(args, group_id, user_id):
    """Change a member's role (owner and managers; ownership only from the owner)."""
    with refusals():
        membership.set_role(current_user, _group(group_id), user_id, args["role"])
    db.session.commit()


@blp.delete("/groups/<id:group_id>/members/<id:user_id>")
@blp.response(204)
def remove_member(group_id, user_id):
    """Leave a group, or remove a member (owner and managers)."""
    with refusals():
        membership.remove_member(current_user, _group(group_id), user_id)
    db.session.commit()


@blp.get("/groups/<id:group_id>/requests")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, RequestPageSchema)
def list_requests(args, group_id):
    """People waiting to join (owner and managers)."""
    with refusals():
        query = membership.join_requests(current_user, _group(group_id))
    page = page_or_400(query, User.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.post("/groups/<id:group_id>/requests/<id:user_id>/approve")
@blp.response(204)
def approve_request(group_id, user_id):
    """Let someone in."""
    with refusals():
        membership.decide_request(current_user, _group(group_id), user_id, approve=True)
    db.session.commit()


@blp.delete("/groups/<id:group_id>/requests/<id:user_id>")
@blp.response(204)
def refuse_request(group_id, user_id):
    """Turn a request down."""
    with refusals():
        membership.decide_request(current_user, _group(group_id), user_id, approve=False)
    db.session.commit()


@blp.get("/groups/<id:group_id>/feed")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def feed(args, group_id):
    """The group's feed: its posts and shares, newest first."""
    _readable_group(group_id)
    return item_page(group_feed(current_user, group_id), args)
