"""Per-record inbound URLs: create or revoke one (signed in), post through one (no login)."""

from flask import current_app, url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import require_user
from feedserver.api.schemas.inbound_urls import (
    InboundPostedSchema,
    InboundPostSchema,
    InboundTokenCreateSchema,
    InboundTokenSchema,
)
from feedserver.extensions import db
from feedserver.integrations.record_tokens import (
    issue_record_token,
    post_through_token,
    record_token,
    revoke_record_tokens,
)
from feedserver.models import Record
from feedserver.webhooks.ratelimit import RateLimited, enforce_limit

blp = Blueprint("inbound_urls", __name__, description="Post to one record with a plain curl")


def _live_record(record_id: int) -> Record:
    record = db.session.get(Record, record_id)
    if record is None or record.deleted_at is not None:
        abort(404, message=f"record {record_id} not found")
    return record


@blp.post("/records/<id:record_id>/inbound-token")
@blp.arguments(InboundTokenCreateSchema, required=False)
@blp.response(201, InboundTokenSchema)
def create_inbound_token(args, record_id):
    """Give the record a new inbound URL (the previous one stops working); shown once."""
    require_user()
    record = _live_record(record_id)
    token = issue_record_token(record, current_user, args.get("name"))
    db.session.commit()
    url = url_for("inbound_urls.post_to_record_url", token=token, _external=True)
    return {"record_id": record.id, "url": url, "token": token}


@blp.delete("/records/<id:record_id>/inbound-token")
@blp.response(204)
def revoke_inbound_token(record_id):
    """Revoke the record's inbound URL: posts through it are refused from now on."""
    require_user()
    if not revoke_record_tokens(_live_record(record_id)):
        abort(404, message="the record has no inbound URL")
    db.session.commit()


@blp.post("/inbound/records/<string:token>")
@blp.arguments(InboundPostSchema)
@blp.response(201, InboundPostedSchema)
@blp.doc(security=[])
def post_to_record_url(args, token):
    """Post {"text": ...} to the record this URL belongs to; no other credential needed."""
    found = record_token(token)
    if found is None:
        abort(404, message="unknown or revoked inbound URL")
    try:
        # The URL is its own credential, so it gets a budget of its own.
        spec = current_app.config["INBOUND_URL_RATE_LIMIT"]
        enforce_limit("record-url", str(found.id), spec, "this inbound URL")
    except RateLimited as exc:
        abort(429, message=exc.message, headers={"Retry-After": str(exc.retry_after)})
    item = post_through_token(found, args["text"])
    db.session.commit()
    return {"item_id": item.id, "record_id": found.record_id}
