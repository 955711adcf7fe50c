"""Inbound webhook events as admins see them, and the answer a sender gets."""

import marshmallow as ma

from feedserver.api.schemas.common import PageArgsSchema


class InboundEventSchema(ma.Schema):
    id = ma.fields.Integer()
    integration_id = ma.fields.Integer()
    message_id = ma.fields.Integer(metadata={"description": "The stored raw request"})
    position = ma.fields.Integer()
    dedupe_key = ma.fields.String()
    type = ma.fields.String(attribute="kind")
    record_type = ma.fields.String(allow_none=True)
    external_id = ma.fields.String(allow_none=True)
    status = ma.fields.String(
        metadata={"description": "queued, received, processed, failed or ignored"}
    )
    error = ma.fields.String(allow_none=True)
    warnings = ma.fields.List(ma.fields.String())
    result = ma.fields.Dict()
    attempts = ma.fields.Integer()
    processed_at = ma.fields.DateTime(allow_none=True)


class InboundEventPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InboundEventSchema))
    next_cursor = ma.fields.String(allow_none=True)


class InboundEventArgsSchema(PageArgsSchema):
    status = ma.fields.String(
        validate=ma.validate.OneOf(["queued", "received", "processed", "failed", "ignored"])
    )
    integration_id = ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1))


class InboundMessageSchema(ma.Schema):
    """The raw request an event came in, as stored (credentials removed)."""

    id = ma.fields.Integer()
    endpoint = ma.fields.String()
    message_id = ma.fields.String(allow_none=True)
    url = ma.fields.String()
    headers = ma.fields.Dict()
    body = ma.fields.Function(lambda m: m.body.decode("utf-8", errors="replace"))
    status = ma.fields.String()
    error = ma.fields.String(allow_none=True)
    received_at = ma.fields.DateTime()


class InboundEventDetailSchema(InboundEventSchema):
    message = ma.fields.Nested(InboundMessageSchema)
