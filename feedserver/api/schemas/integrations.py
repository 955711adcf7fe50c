"""Integrations as admins create and see them; secrets appear only in creation answers."""

import marshmallow as ma

from feedserver.api.schemas.common import UserBriefSchema
from feedserver.integrations.service import VENDORS


class StrictBoolean(ma.fields.Boolean):
    """A JSON true or false, nothing else (marshmallow also takes 0, 1, "yes", ...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class _PartialUpdate(ma.Schema):
    """Every field optional, but at least one must be given."""

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError("give at least one field to change", "_schema")


class IntegrationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    vendor = ma.fields.String(allow_none=True)
    source = ma.fields.String()
    enabled = ma.fields.Boolean()
    bot = ma.fields.Nested(UserBriefSchema, attribute="bot_user")
    rate_limit = ma.fields.String(allow_none=True)
    mapping = ma.fields.Dict()
    user_map = ma.fields.Dict()
    # Which credentials are set, never their values.
    credential_keys = ma.fields.Function(lambda i: sorted((i.credentials or {}).keys()))
    secrets = ma.fields.Function(
        lambda i: [
            {"id": s.id, "created_at": s.created_at.isoformat(), "expires_at": _iso(s.expires_at)}
            for s in i.secrets
        ]
    )
    created_at = ma.fields.DateTime()


def _iso(value):
    return value.isoformat() if value else None


class NewIntegrationSchema(IntegrationSchema):
    token = ma.fields.String(metadata={"description": "API token, shown only now"})
    signing_secret = ma.fields.String(metadata={"description": "whsec_ secret, shown only now"})


_settings = {
    "credentials": ma.fields.Dict(
        metadata={"description": "Vendor credentials (client_secrets, basic_username, ...)"}
    ),
    "mapping": ma.fields.Dict(metadata={"description": "Overrides of the vendor mapping"}),
    "user_map": ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Email(), metadata={"description": "id → email"}
    ),
    "rate_limit": ma.fields.String(metadata={"description": "e.g. 600/minute"}),
}


class IntegrationCreateSchema(ma.Schema.from_dict(_settings)):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 100))
    vendor = ma.fields.String(validate=ma.validate.OneOf(VENDORS))
    source = ma.fields.String(validate=ma.validate.Length(1, 40))


class IntegrationUpdateSchema(_PartialUpdate, ma.Schema.from_dict(_settings)):
    enabled = StrictBoolean()


class RotateSecretSchema(ma.Schema):
    grace_seconds = ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(0, 30 * 24 * 3600),
        metadata={"description": "How long the current secrets keep verifying"},
    )


class NewSecretSchema(ma.Schema):
    signing_secret = ma.fields.String()
    previous_expire_at = ma.fields.DateTime(allow_none=True)


class NewTokenSchema(ma.Schema):
    token = ma.fields.String()
