"""Inbound webhooks: our own event format, the vendors' endpoints, and the admin event log."""

import sqlalchemy as sa
from flask import Response, current_app, jsonify, request
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import require_admin, require_user
from feedserver.api.errors import error_response
from feedserver.api.pagination import page_or_400
from feedserver.api.schemas.webhooks import (
    InboundEventArgsSchema,
    InboundEventDetailSchema,
    InboundEventPageSchema,
    InboundEventSchema,
)
from feedserver.auth.tokens import bearer_token
from feedserver.extensions import db
from feedserver.integrations.service import integration_for_token
from feedserver.models import InboundEvent, Integration
from feedserver.orm import utcnow
from feedserver.webhooks.changes import InboundError
from feedserver.webhooks.pipeline import QUEUED, Receipt, ReplayError, receive, replay
from feedserver.webhooks.queued import drain_soon
from feedserver.webhooks.ratelimit import RateLimited, enforce_rate_limit
from feedserver.webhooks.request import InboundRequest
from feedserver.webhooks.signatures import authenticate_ours
from feedserver.webhooks.translators import OWN_FORMAT, translator, vendor_module

blp = Blueprint("webhooks", __name__, description="Inbound webhooks from other systems")

_event_schema = InboundEventSchema()


class Refused(Exception):
    """Carry an InboundError out of a view as the one JSON error shape."""


def _refuse(exc: InboundError) -> Response:
    fields = getattr(exc, "fields", None) or ({exc.field: [exc.message]} if exc.field else None)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(exc.status, exc.message, fields, headers)


def _read_request() -> InboundRequest:
    """The raw request, refused with 413 past WEBHOOK_MAX_BYTES before it is read."""
    limit = current_app.config["WEBHOOK_MAX_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise InboundError(f"body exceeds the {limit} byte limit", 413)
    body = request.get_data(cache=True)
    if len(body) > limit:
        raise InboundError(f"body exceeds the {limit} byte limit", 413)
    return InboundRequest(
        method=request.method,
        url=request.url,
        headers=request.headers,
        body=body,
        received_at=utcnow(),
    )


def _receipt_body(receipt: Receipt) -> dict:
    return {
        "message_id": receipt.message.id,
        "duplicate": receipt.duplicate,
        "events": [
            {
                "index": report.index,
                "duplicate": report.duplicate,
                **_event_schema.dump(report.event),
            }
            for report in receipt.events
        ],
    }


def _accept(
    integration: Integration,
    endpoint: str,
    inbound: InboundRequest,
    message_id=None,
    deferred: bool = False,
):
    enforce_rate_limit(integration)
    receipt = receive(
        integration, endpoint, inbound, translator(endpoint), message_id, deferred=deferred
    )
    queued = any(report.event.status == QUEUED for report in receipt.events)
    if queued and current_app.config["WEBHOOK_QUEUE_BACKGROUND"]:
        drain_soon(current_app._get_current_object())
    return receipt


def _prefers_async(prefer: str | None) -> bool:
    """Whether a Prefer header (RFC 7240) asks for `respond-async`."""
    wanted = (part.split(";")[0].strip().lower() for part in (prefer or "").split(","))
    return "respond-async" in wanted


@blp.post("/webhooks/events")
@blp.doc(security=[])
def receive_events():
    """Take one event or a batch in our format, signed (Standard Webhooks) or with a token.

    With `Prefer: respond-async` the answer comes once the events are stored (`queued`), and
    they are applied afterwards; otherwise it reports each event's outcome.
    """
    deferred = _prefers_async(request.headers.get("Prefer"))
    try:
        inbound = _read_request()
        integration = authenticate_ours(
            request.headers, inbound.body, request.args.get("integration")
        )
        receipt = _accept(
            integration, OWN_FORMAT, inbound, request.headers.get("webhook-id"), deferred
        )
    except InboundError as exc:
        return _refuse(exc)
    response = jsonify(_receipt_body(receipt))
    if deferred:
        response.headers["Preference-Applied"] = "respond-async"
    return response, 200 if receipt.duplicate else 202


def _vendor_integration(integration_id: int | None, vendor: str) -> Integration:
    integration = db.session.get(Integration, integration_id) if integration_id else None
    if integration is None or integration.vendor != vendor or not integration.enabled:
        raise InboundError(f"no enabled {vendor} integration {integration_id}", 401)
    return integration


def _token_integration(vendor: str, integration_id: int | None = None) -> Integration:
    token = bearer_token(request.headers.get("Authorization"))
    integration = integration_for_token(token) if token else None
    if integration is None or integration.vendor != vendor:
        raise InboundError(f"send Authorization: Bearer <{vendor} integration token>", 401)
    if integration_id is not None and integration.id != integration_id:
        raise InboundError("the token belongs to another integration", 401)
    return integration


def _vendor_check(endpoint: str, inbound: InboundRequest, integration: Integration) -> None:
    try:
        vendor_module(endpoint).authenticate(inbound, dict(integration.credentials or {}))
    except InboundError:
        raise
    except ValueError as exc:  # defensive: an adapter's own error still means "not you"
        raise InboundError(str(exc), 401) from None


def _vendor_answer(receipt: Receipt):
    return jsonify(_receipt_body(receipt)), 200


@blp.post("/webhooks/salesforce/cdc")
@blp.doc(security=[{"bearerAuth": []}])
def receive_salesforce_cdc():
    """Salesforce Change Data Capture events forwarded by a bridge (CometD or Pub/Sub JSON)."""
    try:
        inbound = _read_request()
        integration = _token_integration("salesforce")
        receipt = _accept(integration, "salesforce_cdc", inbound)
    except InboundError as exc:
        return _refuse(exc)
    return _vendor_answer(receipt)


@blp.post("/webhooks/salesforce/outbound/<id:integration_id>")
@blp.doc(security=[])
def receive_salesforce_outbound(integration_id):
    """Salesforce Outbound Messages (SOAP); answered with the Ack envelope."""
    try:
        inbound = _read_request()
        integration = _vendor_integration(integration_id, "salesforce")
        _vendor_check("salesforce_outbound", inbound, integration)
        _accept(integration, "salesforce_outbound", inbound)
    except InboundError as exc:
        return _refuse(exc)
    ack = vendor_module("salesforce_outbound").ack_response()
    return Response(ack, status=200, content_type="text/xml; charset=utf-8")


@blp.post("/webhooks/hubspot/<id:integration_id>")
@blp.doc(security=[])
def receive_hubspot(integration_id):
    """HubSpot webhooks, checked with the app's client secret (signature v3, v2 or v1)."""
    try:
        inbound = _read_request()
        integration = _vendor_integration(integration_id, "hubspot")
        _vendor_check("hubspot", inbound, integration)
        receipt = _accept(integration, "hubspot", inbound)
    except InboundError as exc:
        return _refuse(exc)
    return _vendor_answer(receipt)


@blp.post("/webhooks/pipedrive/<id:integration_id>")
@blp.doc(security=[])
def receive_pipedrive(integration_id):
    """Pipedrive webhooks v2, with HTTP Basic auth when configured, else the integration token."""
    try:
        inbound = _read_request()
        integration = _vendor_integration(integration_id, "pipedrive")
        if (integration.credentials or {}).get("basic_username"):
            _vendor_check("pipedrive", inbound, integration)
        else:
            _token_integration("pipedrive", integration.id)
        receipt = _accept(integration, "pipedrive", inbound)
    except InboundError as exc:
        return _refuse(exc)
    return _vendor_answer(receipt)


def _admin() -> None:
    require_user()
    require_admin(current_user)


@blp.get("/webhooks/events")
@blp.arguments(InboundEventArgsSchema, location="query")
@blp.response(200, InboundEventPageSchema)
def list_events(args):
    """Inbound events, newest first; ?status=failed lists what needs attention (admins)."""
    _admin()
    query = sa.select(InboundEvent).order_by(InboundEvent.id.desc())
    if args.get("status"):
        query = query.where(InboundEvent.status == args["status"])
    if args.get("integration_id"):
        query = query.where(InboundEvent.integration_id == args["integration_id"])
    page = page_or_400(query, InboundEvent.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


def _event_or_404(event_id: int) -> InboundEvent:
    event = db.session.get(InboundEvent, event_id)
    if event is None:
        abort(404, message=f"inbound event {event_id} not found")
    return event


@blp.get("/webhooks/events/<id:event_id>")
@blp.response(200, InboundEventDetailSchema)
def get_event(event_id):
    """One inbound event with the raw request it came in (admins)."""
    _admin()
    return _event_or_404(event_id)


@blp.post("/webhooks/events/<id:event_id>/replay")
@blp.response(200, InboundEventSchema)
def replay_event(event_id):
    """Apply a failed or ignored event again, translated with the current mapping (admins)."""
    _admin()
    event = _event_or_404(event_id)
    try:
        return replay(event, translator(event.message.endpoint))
    except ReplayError as exc:
        db.session.rollback()
        abort(exc.status, message=exc.message)
