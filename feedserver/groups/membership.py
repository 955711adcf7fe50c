"""Create groups, join and leave them, approve requests, change roles, archive."""

import sqlalchemy as sa

from feedserver.conversations.errors import ConversationError, not_found
from feedserver.extensions import db
from feedserver.feed.visibility import can_see_group
from feedserver.models import GROUP_ROLES, Group, GroupJoinRequest, GroupMember, User
from feedserver.notifications.notify import notify
from feedserver.orm import utcnow

MANAGING_ROLES = ("owner", "manager")


def create_group(owner: User, name: str, visibility: str, description: str | None) -> Group:
    """Create a group; its creator is its owner."""
    name = name.strip()
    if not name:
        raise ConversationError("name must not be empty", field="name")
    _check_name_free(name)
    group = Group(name=name, visibility=visibility, description=description, owner_id=owner.id)
    db.session.add(group)
    db.session.flush()
    db.session.add(GroupMember(group_id=group.id, user_id=owner.id, role="owner"))
    db.session.flush()
    return group


def get_group(group_id: int) -> Group:
    """Any group by id: a private group's name is not secret, its posts and members are."""
    group = db.session.get(Group, group_id)
    if group is None:
        raise not_found("group", group_id)
    return group


def get_readable_group(viewer: User, group_id: int) -> Group:
    """The group if `viewer` may read its posts and members (public, or a member)."""
    group = get_group(group_id)
    if not can_see_group(viewer, group):
        raise ConversationError("only members see a private group's posts and members", 403)
    return group


def role_of(user_id: int, group_id: int) -> str | None:
    return db.session.scalar(
        sa.select(GroupMember.role).where(
            GroupMember.group_id == group_id, GroupMember.user_id == user_id
        )
    )


def require_manager(user: User, group: Group) -> None:
    if role_of(user.id, group.id) not in MANAGING_ROLES and not user.is_admin:
        raise ConversationError("only the group's owner or managers may do this", status=403)


def update_group(editor: User, group: Group, changes: dict) -> Group:
    require_manager(editor, group)
    _check_open(group)
    if "name" in changes:
        name = changes["name"].strip()
        if not name:
            raise ConversationError("name must not be empty", field="name")
        _check_name_free(name, group.id)
        group.name = name
    for key in ("description", "visibility"):
        if key in changes:
            setattr(group, key, changes[key])
    db.session.flush()
    return group


def join(user: User, group: Group) -> str:
    """Join a public group at once, or ask to join a private one; returns "member" or "requested"."""
    _check_open(group)
    if role_of(user.id, group.id) is not None:
        return "member"
    if not group.is_private:
        db.session.add(GroupMember(group_id=group.id, user_id=user.id, role="member"))
        db.session.flush()
        return "member"
    if db.session.get(GroupJoinRequest, {"group_id": group.id, "user_id": user.id}) is None:
        db.session.add(GroupJoinRequest(group_id=group.id, user_id=user.id))
        db.session.flush()
        managers = db.session.scalars(
            sa.select(GroupMember.user_id).where(
                GroupMember.group_id == group.id, GroupMember.role.in_(MANAGING_ROLES)
            )
        )
        notify("join_request", set(managers), user, group_id=group.id,
               group_key=f"join_request:group:{group.id}")  # fmt: skip
    return "requested"


def join_requests(manager: User, group: Group):
    require_manager(manager, group)
    return (
        sa.select(User)
        .join(GroupJoinRequest, GroupJoinRequest.user_id == User.id)
        .where(GroupJoinRequest.group_id == group.id)
        .order_by(GroupJoinRequest.created_at, User.id)
    )


def decide_request(manager: User, group: Group, user_id: int, approve: bool) -> None:
    """Approve (make a member) or refuse a pending request to join."""
    require_manager(manager, group)
    request = db.session.get(GroupJoinRequest, {"group_id": group.id, "user_id": user_id})
    if request is None:
        raise ConversationError(f"user {user_id} has not asked to join", status=404)
    db.session.delete(request)
    if approve and role_of(user_id, group.id) is None:
        db.session.add(GroupMember(group_id=group.id, user_id=user_id, role="member"))
    db.session.flush()


def remove_member(actor: User, group: Group, user_id: int) -> None:
    """Leave a group (yourself) or remove someone (managers); the owner cannot leave."""
    role = role_of(user_id, group.id)
    if role is None:
        raise ConversationError(f"user {user_id} is not a member", status=404)
    if actor.id != user_id:
        require_manager(actor, group)
    if role == "owner":
        raise ConversationError("the owner cannot leave; hand the group over first", 409)
    db.session.execute(
        sa.delete(GroupMember).where(
            GroupMember.group_id == group.id, GroupMember.user_id == user_id
        )
    )
    db.session.flush()


def set_role(actor: User, group: Group, user_id: int, role: str) -> None:
    """Make a member a manager or a plain member; only the owner (or an admin) hands over ownership."""
    if role not in GROUP_ROLES:
        raise ConversationError(f"unknown role {role!r}", field="role")
    require_manager(actor, group)
    member = db.session.get(GroupMember, {"group_id": group.id, "user_id": user_id})
    if member is None:
        raise ConversationError(f"user {user_id} is not a member", status=404)
    if role == "owner" or member.role == "owner":
        if role_of(actor.id, group.id) != "owner" and not actor.is_admin:
            raise ConversationError("only the owner may hand over ownership", status=403)
        if role == "owner":
            db.session.execute(
                sa.update(GroupMember)
                .where(GroupMember.group_id == group.id, GroupMember.role == "owner")
                .values(role="manager")
            )
            group.owner_id = user_id
        elif member.role == "owner":
            raise ConversationError("a group needs an owner; make someone else owner", 409)
    member.role = role
    db.session.flush()


def archive(actor: User, group: Group) -> Group:
    """Archive a group: it stays readable, but nothing new is posted or joined."""
    require_manager(actor, group)
    if group.archived_at is None:
        group.archived_at = utcnow()
        db.session.flush()
    return group


def members(group: Group):
    return (
        sa.select(User, GroupMember.role)
        .join(GroupMember, GroupMember.user_id == User.id)
        .where(GroupMember.group_id == group.id)
        .order_by(User.id.desc())
    )


def _check_name_free(name: str, group_id: int | None = None) -> None:
    query = sa.select(Group.id).where(sa.func.lower(Group.name) == name.lower())
    if group_id is not None:
        query = query.where(Group.id != group_id)
    if db.session.scalar(query) is not None:
        raise ConversationError(f"a group named {name!r} exists", status=409, field="name")


def _check_open(group: Group) -> None:
    if group.is_archived:
        raise ConversationError("the group is archived", status=409, field="group_id")
