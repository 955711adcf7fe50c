"""My notifications: list, unread count, mark read, and which kinds notify me."""

from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.refusals import refusals
from feedserver.api.schemas.notifications import (
    NotificationListArgsSchema,
    NotificationPageSchema,
    NotificationSchema,
    NotificationSettingsChangeSchema,
    NotificationSettingsSchema,
    UnreadCountSchema,
)
from feedserver.extensions import db
from feedserver.models import Notification
from feedserver.notifications import inbox
from feedserver.notifications.present import notification_payloads, unread_count

blp = Blueprint("notifications", __name__, description="Notifications")
protect(blp)


@blp.get("/notifications")
@blp.arguments(NotificationListArgsSchema, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(args):
    """My notifications, newest first, grouped ("Ana and 4 others liked your post")."""
    query = inbox.notifications_of(current_user, unread_only=args["unread"])
    page = page_or_400(query, Notification.id, args)
    return {
        "items": notification_payloads(page.rows),
        "next_cursor": page.next_cursor,
        "unread_count": unread_count(current_user.id),
    }


@blp.get("/notifications/unread-count")
@blp.response(200, UnreadCountSchema)
def count():
    """How many notifications I have not read."""
    return {"unread_count": unread_count(current_user.id)}


@blp.post("/notifications/<id:notification_id>/read")
@blp.response(200, NotificationSchema)
def read_one(notification_id):
    """Mark one notification read."""
    with refusals():
        note = inbox.mark_read(current_user, notification_id)
    db.session.commit()
    return notification_payloads([note])[0]


@blp.post("/notifications/read-all")
@blp.response(200, UnreadCountSchema)
def read_all():
    """Mark all my notifications read."""
    inbox.mark_all_read(current_user)
    db.session.commit()
    return {"unread_count": 0}


@blp.get("/notifications/settings")
@blp.response(200, NotificationSettingsSchema)
def settings():
    """Which kinds of notification I get (all on unless turned off)."""
    return inbox.settings_of(current_user)


@blp.patch("/notifications/settings")
@blp.arguments(NotificationSettingsChangeSchema)
@blp.response(200, NotificationSettingsSchema)
def change_settings(args):
    """Turn kinds of notification on or off."""
    result = inbox.change_settings(current_user, args)
    db.session.commit()
    return result
