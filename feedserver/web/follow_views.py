"""What the follow panel shows: am I following, how many follow, whose faces."""

import sqlalchemy as sa

from feedserver.api.presenters import load_references, reference
from feedserver.extensions import db
from feedserver.feed.follows import find_follow, followers_of_subject, following_of
from feedserver.models import Follow, Group, GroupMember, User

FACES_SHOWN = 8


def follow_panel(viewer: User, kind: str, subject_id: int) -> dict:
    """The viewer's follow state for a subject, its follower count and the latest faces."""
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Follow)
        .where(Follow.subject_kind == kind, Follow.subject_id == subject_id)
    )
    faces = db.session.scalars(followers_of_subject(kind, subject_id).limit(FACES_SHOWN)).all()
    return {
        "kind": kind,
        "id": subject_id,
        "following": find_follow(viewer.id, kind, subject_id) is not None,
        "count": count,
        "faces": faces,
        "is_self": kind == "user" and subject_id == viewer.id,
    }


def followed_subjects(viewer: User, limit: int = 12) -> list[dict]:
    """What the viewer follows, newest first, as references with names (for the sidebar)."""
    follows = db.session.scalars(following_of(viewer.id).limit(limit)).all()
    found = load_references((f.subject_kind, f.subject_id) for f in follows)
    return [reference(f.subject_kind, f.subject_id, found) for f in follows]


def groups_of(viewer: User) -> list[Group]:
    """The open groups the viewer belongs to (where the composer may post), by name."""
    return db.session.scalars(
        sa.select(Group)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.user_id == viewer.id, Group.archived_at.is_(None))
        .order_by(Group.name)
    ).all()
