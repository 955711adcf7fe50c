"""Groups and memberships as the API takes and shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import ChangeSchema, PageArgsSchema, UserBriefSchema

_visibility = ma.fields.String(validate=ma.validate.OneOf(["public", "private"]))


class GroupCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    description = ma.fields.String(validate=ma.validate.Length(max=2000), allow_none=True)
    visibility = ma.fields.String(
        load_default="public", validate=ma.validate.OneOf(["public", "private"])
    )


class GroupUpdateSchema(ChangeSchema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    description = ma.fields.String(validate=ma.validate.Length(max=2000), allow_none=True)
    visibility = _visibility


class GroupSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    visibility = ma.fields.String()
    owner_id = ma.fields.Integer(allow_none=True)
    member_count = ma.fields.Integer()
    my_role = ma.fields.String(allow_none=True, metadata={"description": "owner/manager/member"})
    requested = ma.fields.Boolean(metadata={"description": "I asked to join and wait"})
    archived_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class GroupPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(GroupSchema))
    next_cursor = ma.fields.String(allow_none=True)


class GroupListArgsSchema(PageArgsSchema):
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only my groups"})


class JoinResultSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "member or requested"})


class MemberSchema(ma.Schema):
    user = ma.fields.Nested(UserBriefSchema)
    role = ma.fields.String()


class MemberPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MemberSchema))
    next_cursor = ma.fields.String(allow_none=True)


class RoleSchema(ma.Schema):
    role = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["owner", "manager", "member"])
    )


class RequestPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserBriefSchema))
    next_cursor = ma.fields.String(allow_none=True)
