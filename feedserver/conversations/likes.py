"""Like and unlike items and comments; counts are kept on the liked row."""

import sqlalchemy as sa

from feedserver.conversations.live import item_watchers, push
from feedserver.extensions import db
from feedserver.models import Comment, FeedItem, Like, User
from feedserver.notifications.notify import notify


def like(user: User, item: FeedItem, comment: Comment | None = None) -> int:
    """Like the item (or one of its comments); liking twice is harmless. Returns the count."""
    kind, subject = ("comment", comment) if comment is not None else ("item", item)
    exists = db.session.scalar(
        sa.select(Like.id).where(
            Like.subject_kind == kind, Like.subject_id == subject.id, Like.user_id == user.id
        )
    )
    if exists is None:
        db.session.add(Like(subject_kind=kind, subject_id=subject.id, user_id=user.id))
        subject.like_count = (subject.like_count or 0) + 1
        db.session.flush()
        author_id = comment.author_id if comment is not None else item.actor_id
        if author_id is not None:
            notify("like", {author_id}, user, item=item, comment=comment)
        _changed(user, item, comment, liked=True)
    return subject.like_count


def unlike(user: User, item: FeedItem, comment: Comment | None = None) -> int:
    kind, subject = ("comment", comment) if comment is not None else ("item", item)
    removed = db.session.execute(
        sa.delete(Like).where(
            Like.subject_kind == kind, Like.subject_id == subject.id, Like.user_id == user.id
        )
    ).rowcount
    if removed:
        subject.like_count = max((subject.like_count or 1) - 1, 0)
        db.session.flush()
        _changed(user, item, comment, liked=False)
    return subject.like_count


def likers(kind: str, subject_id: int):
    """A SELECT of the people who liked a subject, most recent first."""
    return (
        sa.select(User)
        .join(Like, Like.user_id == User.id)
        .where(Like.subject_kind == kind, Like.subject_id == subject_id)
        .order_by(Like.id.desc())
    )


def liked_by(user_id: int, kind: str, subject_ids: list[int]) -> set[int]:
    if not subject_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Like.subject_id).where(
                Like.user_id == user_id, Like.subject_kind == kind, Like.subject_id.in_(subject_ids)
            )
        )
    )


def _changed(user: User, item: FeedItem, comment: Comment | None, liked: bool) -> None:
    payload = {
        "item_id": item.id,
        "comment_id": comment.id if comment is not None else None,
        "like_count": (comment or item).like_count,
        "user_id": user.id,
        "liked": liked,
    }
    push("like_changed", payload, item_watchers(item))
