"""Notifications as the API shows them, and the per-person settings."""

import marshmallow as ma

from feedserver.api.schemas.common import ChangeSchema, PageArgsSchema
from feedserver.api.schemas.visits import JsonBoolean
from feedserver.models import NOTIFICATION_KINDS


class ActorSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    initials = ma.fields.String()


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": ", ".join(NOTIFICATION_KINDS)})
    text = ma.fields.String(metadata={"description": 'e.g. "Ana and 4 others liked your post"'})
    actors = ma.fields.List(ma.fields.Nested(ActorSchema), metadata={"description": "Up to 3"})
    actor_count = ma.fields.Integer()
    item_id = ma.fields.Integer(allow_none=True)
    comment_id = ma.fields.Integer(allow_none=True)
    group_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.String()
    updated_at = ma.fields.String()
    read_at = ma.fields.String(allow_none=True)


class NotificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    next_cursor = ma.fields.String(allow_none=True)
    unread_count = ma.fields.Integer()


class NotificationListArgsSchema(PageArgsSchema):
    unread = ma.fields.Boolean(load_default=False)


class UnreadCountSchema(ma.Schema):
    unread_count = ma.fields.Integer()


NotificationSettingsSchema = ma.Schema.from_dict(
    {kind: ma.fields.Boolean() for kind in NOTIFICATION_KINDS}, name="NotificationSettings"
)
NotificationSettingsChangeSchema = ChangeSchema.from_dict(
    {kind: JsonBoolean() for kind in NOTIFICATION_KINDS},
    name="NotificationSettingsChange",
)
