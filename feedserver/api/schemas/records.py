"""CRM records and record types as the API takes and shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import (
    ChangeSchema,
    PageArgsSchema,
    RecordBriefSchema,
    UserBriefSchema,
    id_field,
)


class RecordSchema(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String(attribute="type_key")
    source = ma.fields.String()
    external_id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    owner = ma.fields.Nested(UserBriefSchema, allow_none=True)
    account = ma.fields.Nested(RecordBriefSchema, allow_none=True)
    fields = ma.fields.Dict(keys=ma.fields.String())
    version = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    deleted = ma.fields.Boolean(attribute="is_deleted")


class RecordPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RecordSchema))
    next_cursor = ma.fields.String(allow_none=True)


_name = ma.fields.String(validate=ma.validate.Length(min=1, max=255))
_fields = ma.fields.Dict(
    keys=ma.fields.String(validate=ma.validate.Length(min=1, max=100)),
    metadata={"description": "Field values by API name; a value of null clears the field"},
)


class RecordCreateSchema(ma.Schema):
    type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    external_id = ma.fields.String(validate=ma.validate.Length(min=1, max=255))
    owner_id = id_field(allow_none=True)
    account_id = id_field(allow_none=True)
    fields = _fields


class RecordUpdateSchema(ChangeSchema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=255))
    owner_id = id_field(allow_none=True)
    account_id = id_field(allow_none=True)
    fields = _fields


class RecordListArgsSchema(PageArgsSchema):
    type = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    owner_id = id_field(strict=False)
    account_id = id_field(strict=False)
    q = ma.fields.String(metadata={"description": "Matches the record name"})
    include_deleted = ma.fields.Boolean(load_default=False)


class RecordTypeSchema(ma.Schema):
    key = ma.fields.String()
    label = ma.fields.String()
    tracked_fields = ma.fields.List(ma.fields.String())


class RecordTypeUpdateSchema(ma.Schema):
    tracked_fields = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(min=1, max=100)), required=True
    )


__all__ = ["RecordBriefSchema"]
