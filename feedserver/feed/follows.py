"""Follow and unfollow colleagues and records; there is no cap on how many."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visibility import can_see_record
from feedserver.models import FOLLOWABLE_KINDS, Follow, Group, Record, Topic, User


class FollowError(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


def subject_exists(follower: User, kind: str, subject_id: int) -> bool:
    """Whether the subject exists as far as `follower` may know (a private visit does not)."""
    if kind == "user":
        user = db.session.get(User, subject_id)
        return user is not None and user.active
    if kind == "record":
        record = db.session.get(Record, subject_id)
        return record is not None and record.deleted_at is None and can_see_record(follower, record)
    if kind == "topic":
        return db.session.get(Topic, subject_id) is not None
    if kind == "group":
        return db.session.get(Group, subject_id) is not None
    return False


def follow(follower: User, kind: str, subject_id: int) -> Follow:
    """Follow a subject; following it again returns the existing follow."""
    if kind not in FOLLOWABLE_KINDS:
        raise FollowError(f"cannot follow a {kind!r}")
    if kind == "user" and subject_id == follower.id:
        raise FollowError("you cannot follow yourself")
    if not subject_exists(follower, kind, subject_id):
        raise FollowError(f"{kind} {subject_id} not found", status=404)
    existing = find_follow(follower.id, kind, subject_id)
    if existing is not None:
        return existing
    row = Follow(follower_id=follower.id, subject_kind=kind, subject_id=subject_id)
    db.session.add(row)
    db.session.flush()
    if kind == "user":
        # Imported here: notifications build on the feed package, not the other way round.
        from feedserver.notifications.notify import notify

        notify("follow", {subject_id}, follower, group_key=f"follow:user:{subject_id}")
    return row


def unfollow(follower: User, kind: str, subject_id: int) -> bool:
    """Stop following; returns whether there was anything to stop."""
    result = db.session.execute(
        sa.delete(Follow).where(
            Follow.follower_id == follower.id,
            Follow.subject_kind == kind,
            Follow.subject_id == subject_id,
        )
    )
    return result.rowcount > 0


def find_follow(follower_id: int, kind: str, subject_id: int) -> Follow | None:
    return db.session.scalar(
        sa.select(Follow).where(
            Follow.follower_id == follower_id,
            Follow.subject_kind == kind,
            Follow.subject_id == subject_id,
        )
    )


def following_of(user_id: int, kind: str | None = None):
    """What a user follows, newest first (a select of Follow)."""
    query = sa.select(Follow).where(Follow.follower_id == user_id)
    if kind:
        query = query.where(Follow.subject_kind == kind)
    return query.order_by(Follow.id.desc())


def followers_of_subject(kind: str, subject_id: int):
    """The users following a subject (a select of User), most recent follower first."""
    return (
        sa.select(User)
        .join(Follow, Follow.follower_id == User.id)
        .where(Follow.subject_kind == kind, Follow.subject_id == subject_id)
        .order_by(Follow.id.desc())
    )
