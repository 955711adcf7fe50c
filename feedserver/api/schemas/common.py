"""Schemas shared across resources: paging arguments and brief references."""

import marshmallow as ma


class PageArgsSchema(ma.Schema):
    cursor = ma.fields.String(metadata={"description": "Opaque cursor from a previous page"})
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class UserBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    title = ma.fields.String(allow_none=True)
    avatar_url = ma.fields.String(allow_none=True)
    initials = ma.fields.String()


class RecordBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    type = ma.fields.String(attribute="type_key")
