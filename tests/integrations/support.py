"""Helpers for Integration API tests: create integrations, sign and send our format."""

import json
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

from standardwebhooks.webhooks import Webhook

EVENTS_URL = "/api/v1/webhooks/events"


def create_integration(api_as, admin, name="ERP", **settings):
    """Create an integration through the API as `admin`; returns id, token and secret."""
    response = api_as(admin).post("/integrations", json={"name": name, **settings})
    assert response.status_code == 201, response.json
    data = response.json
    return SimpleNamespace(
        id=data["id"], token=data["token"], secret=data["signing_secret"], bot=data["bot"]
    )


def signed_headers(secret, body: bytes, msg_id=None, timestamp=None):
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    timestamp = timestamp or datetime.now(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, timestamp, body.decode()),
        "Content-Type": "application/json",
    }


def send_signed(client, integration, payload, msg_id=None, query="", headers=None):
    """POST our format signed with the integration's secret (Standard Webhooks)."""
    body = json.dumps(payload).encode()
    headers = {**signed_headers(integration.secret, body, msg_id), **(headers or {})}
    return client.post(EVENTS_URL + query, data=body, headers=headers)


def send_with_token(client, integration, payload):
    return client.post(
        EVENTS_URL, json=payload, headers={"Authorization": f"Bearer {integration.token}"}
    )


def record_event(kind, record_type, external_id, **data):
    """An event of our format about one record; extra keys go into "record"."""
    event = {"type": kind}
    for key in ("idempotency_key", "actor", "occurred_at"):
        if key in data:
            event[key] = data.pop(key)
    event["record"] = {"type": record_type, "external_id": external_id, **data}
    return event


def record_ref(record_id):
    """A record as the factory's follow() expects it."""
    return SimpleNamespace(id=record_id, type="record")
