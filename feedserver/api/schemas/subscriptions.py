"""Outbound subscriptions and their delivery log as the API shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.integrations import StrictBoolean


class _PartialUpdate(ma.Schema):
    """Every field optional, but at least one must be given."""

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("give at least one field to change", "_schema")


def _url(**kwargs):
    return ma.fields.URL(
        schemes={"http", "https"},
        require_tld=False,
        validate=ma.validate.Length(max=2048),
        **kwargs,
    )


def _types(**kwargs):
    return ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 40)), **kwargs)


class SubscriptionSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    record_types = ma.fields.List(ma.fields.String())
    description = ma.fields.String(allow_none=True)
    integration_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    disabled_reason = ma.fields.String(allow_none=True)
    consecutive_failures = ma.fields.Integer()
    created_at = ma.fields.DateTime()


class NewSubscriptionSchema(SubscriptionSchema):
    secret = ma.fields.String(metadata={"description": "whsec_ signing secret, shown only now"})


class SubscriptionCreateSchema(ma.Schema):
    url = _url(required=True)
    event_types = _types(required=True, metadata={"description": "e.g. record.updated, or *"})
    record_types = _types(metadata={"description": "Only items about these record types"})
    description = ma.fields.String(validate=ma.validate.Length(max=255))


class SubscriptionUpdateSchema(_PartialUpdate):
    url = _url()
    event_types = _types()
    record_types = _types()
    description = ma.fields.String(validate=ma.validate.Length(max=255))
    active = StrictBoolean()


class DeliveryAttemptSchema(ma.Schema):
    attempted_at = ma.fields.DateTime()
    status_code = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    succeeded = ma.fields.Boolean()


class DeliverySchema(ma.Schema):
    id = ma.fields.Integer()
    message_id = ma.fields.String(metadata={"description": "The webhook-id header"})
    event_type = ma.fields.String()
    item_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(metadata={"description": "pending, delivered or failed"})
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.DateTime()
    last_error = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    delivered_at = ma.fields.DateTime(allow_none=True)
    log = ma.fields.List(ma.fields.Nested(DeliveryAttemptSchema))


class DeliveryPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeliverySchema))
    next_cursor = ma.fields.String(allow_none=True)


class DeliveryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(["pending", "delivered", "failed"]))
