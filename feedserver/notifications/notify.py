"""Create (or fold into) notifications for the people an action concerns."""

from collections.abc import Iterable

import sqlalchemy as sa

from feedserver.conversations.live import push
from feedserver.extensions import db
from feedserver.feed.visibility import eligible_recipients
from feedserver.models import (
    Comment,
    FeedItem,
    Mute,
    Notification,
    NotificationSetting,
    User,
)
from feedserver.orm import utcnow

# How many actors a folded notification remembers (the text says "and N others").
MAX_ACTORS = 50


def notify(
    kind: str,
    recipients: Iterable[int],
    actor: User,
    *,
    item: FeedItem | None = None,
    comment: Comment | None = None,
    group_id: int | None = None,
    group_key: str | None = None,
) -> list[Notification]:
    """Notify each recipient who may see the subject and wants this kind; never the actor."""
    people = set(recipients)
    people.discard(actor.id)
    if not people:
        return []
    if item is not None:
        # Permission and mutes of the item, its author or its record, as for fan-out.
        people = set(db.session.scalars(eligible_recipients(item, people)))
    else:
        people = set(
            db.session.scalars(sa.select(User.id).where(User.id.in_(people), User.active.is_(True)))
        )
    people -= _muting(actor.id, people)
    people -= _opted_out(kind, people)
    key = group_key or _default_key(kind, item, comment)
    created = []
    for user_id in sorted(people):
        note = _fold(user_id, kind, key, actor.id, item, comment, group_id)
        created.append(note)
    db.session.flush()
    from feedserver.notifications.present import notification_payloads, unread_count

    for note, payload in zip(created, notification_payloads(created), strict=True):
        push(
            "notification",
            {"notification": payload, "unread_count": unread_count(note.user_id)},
            [note.user_id],
        )
    return created


def _fold(user_id, kind, key, actor_id, item, comment, group_id) -> Notification:
    """Add the actor to the recipient's unread notification with this key, or start one."""
    note = db.session.scalar(
        sa.select(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.group_key == key,
            Notification.read_at.is_(None),
        )
        .with_for_update()
    )
    if note is None:
        note = Notification(
            user_id=user_id,
            kind=kind,
            group_key=key,
            item_id=item.id if item is not None else None,
            comment_id=comment.id if comment is not None else None,
            group_id=group_id,
            actor_ids=[actor_id],
        )
        db.session.add(note)
        return note
    others = [a for a in note.actor_ids if a != actor_id]
    note.actor_ids = [actor_id, *others][:MAX_ACTORS]
    note.updated_at = utcnow()
    if comment is not None:
        note.comment_id = comment.id
    return note


def _default_key(kind: str, item: FeedItem | None, comment: Comment | None) -> str:
    if kind == "like" and comment is not None:
        return f"like:comment:{comment.id}"
    if item is not None:
        return f"{kind}:item:{item.id}"
    return kind


def _muting(actor_id: int, people: set[int]) -> set[int]:
    """People who muted the actor: their actions do not notify them."""
    if not people:
        return set()
    return set(
        db.session.scalars(
            sa.select(Mute.user_id).where(
                Mute.subject_kind == "user",
                Mute.subject_id == actor_id,
                Mute.user_id.in_(people),
            )
        )
    )


def _opted_out(kind: str, people: set[int]) -> set[int]:
    if not people:
        return set()
    return set(
        db.session.scalars(
            sa.select(NotificationSetting.user_id).where(
                NotificationSetting.kind == kind,
                NotificationSetting.enabled.is_(False),
                NotificationSetting.user_id.in_(people),
            )
        )
    )
