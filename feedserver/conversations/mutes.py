"""Mute an item, a record or a colleague: it stops reaching my home feed and notifications."""

import sqlalchemy as sa

from feedserver.conversations.errors import ConversationError, not_found
from feedserver.extensions import db
from feedserver.feed.visibility import can_see
from feedserver.models import MUTABLE_KINDS, FeedItem, Mute, Record, User


def mute(user: User, kind: str, subject_id: int) -> Mute:
    """Mute a subject; muting it again keeps the first mute."""
    if kind not in MUTABLE_KINDS:
        raise ConversationError(f"cannot mute a {kind!r}", field="kind")
    if kind == "user" and subject_id == user.id:
        raise ConversationError("you cannot mute yourself", field="id")
    if not _exists(user, kind, subject_id):
        raise not_found(kind, subject_id)
    existing = db.session.scalar(
        sa.select(Mute).where(
            Mute.user_id == user.id, Mute.subject_kind == kind, Mute.subject_id == subject_id
        )
    )
    if existing is not None:
        return existing
    row = Mute(user_id=user.id, subject_kind=kind, subject_id=subject_id)
    db.session.add(row)
    db.session.flush()
    return row


def unmute(user: User, kind: str, subject_id: int) -> bool:
    return (
        db.session.execute(
            sa.delete(Mute).where(
                Mute.user_id == user.id, Mute.subject_kind == kind, Mute.subject_id == subject_id
            )
        ).rowcount
        > 0
    )


def mutes_of(user: User):
    return sa.select(Mute).where(Mute.user_id == user.id).order_by(Mute.id.desc())


def _exists(user: User, kind: str, subject_id: int) -> bool:
    if kind == "item":
        item = db.session.get(FeedItem, subject_id)
        return item is not None and can_see(user, item)
    model = Record if kind == "record" else User
    return db.session.get(model, subject_id) is not None
