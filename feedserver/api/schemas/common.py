"""Schemas shared across resources: paging arguments and brief references."""

import marshmallow as ma

MAX_ID = 2**31 - 1
MAX_SEQ = 2**63 - 1


def id_field(strict: bool = True, **kwargs) -> ma.fields.Integer:
    """A database id: a positive 32-bit integer (strict in JSON bodies, parsed in query strings)."""
    return ma.fields.Integer(strict=strict, validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


class ChangeSchema(ma.Schema):
    """A partial update: every field optional, but at least one must be given."""

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(
                "give at least one field to change: " + ", ".join(sorted(self.fields)), "_schema"
            )


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
