"""Integrations (administrators only): create, list, configure, disable, rotate credentials."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect, require_admin
from feedserver.api.schemas.integrations import (
    IntegrationCreateSchema,
    IntegrationSchema,
    IntegrationUpdateSchema,
    NewIntegrationSchema,
    NewSecretSchema,
    NewTokenSchema,
    RotateSecretSchema,
)
from feedserver.extensions import db
from feedserver.integrations.secrets import rotate_secret
from feedserver.integrations.service import (
    IntegrationError,
    configure,
    create_integration,
    reissue_token,
    set_enabled,
)
from feedserver.models import Integration
from feedserver.orm import utcnow


class ShownOnce:
    """An object plus the secrets that appear in this one answer only."""

    def __init__(self, obj, **secrets):
        self._obj, self._secrets = obj, secrets

    def __getattr__(self, name):
        return self._secrets[name] if name in self._secrets else getattr(self._obj, name)


blp = Blueprint("integrations", __name__, description="Other systems and their credentials")
protect(blp)


@blp.before_request
def _admins_only():
    require_admin(current_user)


def _or_abort(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except IntegrationError as exc:
        db.session.rollback()
        abort(exc.status, message=exc.message, errors={exc.field: [exc.message]})


def _integration_or_404(integration_id: int) -> Integration:
    integration = db.session.get(Integration, integration_id)
    if integration is None:
        abort(404, message=f"integration {integration_id} not found")
    return integration


@blp.get("/integrations")
@blp.response(200, IntegrationSchema(many=True))
def list_integrations():
    """Every integration, enabled or not."""
    return db.session.scalars(sa.select(Integration).order_by(Integration.id)).all()


@blp.post("/integrations")
@blp.arguments(IntegrationCreateSchema)
@blp.response(201, NewIntegrationSchema)
def create(args):
    """Create an integration; its API token and signing secret are in this answer only."""
    created = _or_abort(create_integration, args.pop("name"), **args)
    db.session.commit()
    return ShownOnce(
        created.integration, token=created.token, signing_secret=created.signing_secret
    )


@blp.get("/integrations/<id:integration_id>")
@blp.response(200, IntegrationSchema)
def get(integration_id):
    """One integration (credential values and secrets are never shown)."""
    return _integration_or_404(integration_id)


@blp.patch("/integrations/<id:integration_id>")
@blp.arguments(IntegrationUpdateSchema)
@blp.response(200, IntegrationSchema)
def update(args, integration_id):
    """Change settings, or disable (enabled=false: every request of it is refused)."""
    integration = _integration_or_404(integration_id)
    enabled = args.pop("enabled", None)
    _or_abort(configure, integration, **args)
    if enabled is not None:
        set_enabled(integration, enabled)
    db.session.commit()
    return integration


@blp.post("/integrations/<id:integration_id>/rotate-secret")
@blp.arguments(RotateSecretSchema, required=False)
@blp.response(201, NewSecretSchema)
def rotate(args, integration_id):
    """Issue a new signing secret; the old ones keep verifying for the grace period."""
    integration = _integration_or_404(integration_id)
    grace = args.get("grace_seconds", current_app.config["INTEGRATION_SECRET_GRACE_SECONDS"])
    now = utcnow()
    secret = rotate_secret(integration, grace, now)
    db.session.commit()
    return {"signing_secret": secret, "previous_expire_at": now + timedelta(seconds=grace)}


@blp.post("/integrations/<id:integration_id>/rotate-token")
@blp.response(201, NewTokenSchema)
def rotate_token(integration_id):
    """Revoke the integration's API token at once and issue a new one."""
    token = reissue_token(_integration_or_404(integration_id))
    db.session.commit()
    return {"token": token}
