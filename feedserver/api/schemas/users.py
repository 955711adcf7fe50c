"""People as the API shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import PageArgsSchema, UserBriefSchema


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    title = ma.fields.String(allow_none=True)
    department = ma.fields.String(allow_none=True)
    manager = ma.fields.Nested(UserBriefSchema, allow_none=True)
    avatar_url = ma.fields.String(allow_none=True)
    initials = ma.fields.String()
    active = ma.fields.Boolean()
    is_admin = ma.fields.Boolean()
    is_bot = ma.fields.Boolean()


class UserPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserSchema))
    next_cursor = ma.fields.String(allow_none=True)


class UserSearchArgsSchema(PageArgsSchema):
    q = ma.fields.String(metadata={"description": "Matches name, email, title or department"})


class TokenRequestSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1024))
    name = ma.fields.String(load_default="api", validate=ma.validate.Length(min=1, max=100))


class TokenSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String()
    token = ma.fields.String(metadata={"description": "The secret; shown only this once"})
    created_at = ma.fields.DateTime()
