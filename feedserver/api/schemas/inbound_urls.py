"""Per-record inbound URLs and what is posted through them."""

import marshmallow as ma


class InboundTokenCreateSchema(ma.Schema):
    name = ma.fields.String(
        validate=ma.validate.Length(1, 100),
        metadata={"description": "Who posts through it; shown as the author"},
    )


class InboundTokenSchema(ma.Schema):
    record_id = ma.fields.Integer()
    url = ma.fields.String(metadata={"description": "POST here; shown only now"})
    token = ma.fields.String(metadata={"description": "The secret part of the URL"})


class InboundPostSchema(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 10000))


class InboundPostedSchema(ma.Schema):
    item_id = ma.fields.Integer()
    record_id = ma.fields.Integer()
