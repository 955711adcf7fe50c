"""Read a person's notifications, mark them read, and choose which kinds notify."""

from datetime import datetime

import sqlalchemy as sa

from feedserver.conversations.errors import not_found
from feedserver.conversations.live import push
from feedserver.extensions import db
from feedserver.models import NOTIFICATION_KINDS, Notification, NotificationSetting, User
from feedserver.notifications.present import unread_count, visible_notifications
from feedserver.orm import utcnow


def notifications_of(viewer: User, unread_only: bool = False):
    """A SELECT of the viewer's notifications about things they may still see, newest first."""
    query = sa.select(Notification).where(visible_notifications(viewer))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.id.desc())


def mark_read(viewer: User, notification_id: int) -> Notification:
    note = db.session.scalar(
        sa.select(Notification).where(
            Notification.id == notification_id, visible_notifications(viewer)
        )
    )
    if note is None:
        raise not_found("notification", notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
        _push_count(viewer)
    return note


def mark_all_read(viewer: User) -> datetime:
    now = utcnow()
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == viewer.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    _push_count(viewer)
    return now


def settings_of(user: User) -> dict[str, bool]:
    """Each notification kind and whether it notifies the user (on unless turned off)."""
    stored = dict(
        db.session.execute(
            sa.select(NotificationSetting.kind, NotificationSetting.enabled).where(
                NotificationSetting.user_id == user.id
            )
        ).all()
    )
    return {kind: stored.get(kind, True) for kind in NOTIFICATION_KINDS}


def change_settings(user: User, changes: dict[str, bool]) -> dict[str, bool]:
    for kind, enabled in changes.items():
        row = db.session.get(NotificationSetting, {"user_id": user.id, "kind": kind})
        if row is None:
            db.session.add(NotificationSetting(user_id=user.id, kind=kind, enabled=enabled))
        else:
            row.enabled = enabled
    db.session.flush()
    return settings_of(user)


def _push_count(viewer: User) -> None:
    # Other tabs and devices update their badge.
    push(
        "notification", {"notification": None, "unread_count": unread_count(viewer.id)}, [viewer.id]
    )
