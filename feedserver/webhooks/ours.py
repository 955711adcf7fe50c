"""Our own inbound event format: parse, validate and turn it into InboundChanges.

A body is one event object, a JSON array of events, or {"events": [...]}. docs/webhooks.md
describes each event type; this module is the schema.
"""

import json
from datetime import UTC
from typing import Any

import marshmallow as ma

from feedserver.records.changes import UNSET
from feedserver.webhooks.changes import InboundChange, InboundError

RECORD_KINDS = ("record.created", "record.updated", "record.deleted", "record.undeleted")
EVENT_TYPES = (*RECORD_KINDS, "post.created", "visit.logged")


class InvalidEvents(InboundError):
    """Events that break the schema: 422 with messages keyed by events[i].field."""

    def __init__(self, message: str, fields: dict[str, list[str]], status: int = 422):
        super().__init__(message, status)
        self.fields = fields


class _Event(ma.Schema):
    type = ma.fields.String(required=True)
    idempotency_key = ma.fields.String(validate=ma.validate.Length(1, 200))
    occurred_at = ma.fields.AwareDateTime(default_timezone=UTC)
    actor = ma.fields.Email(allow_none=True)


class _RecordRef(ma.Schema):
    type = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    external_id = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))


class _RecordData(_RecordRef):
    name = ma.fields.String(validate=ma.validate.Length(1, 255))
    owner = ma.fields.Email(allow_none=True)
    account = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 255))
    fields = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.Length(1, 64)))


class _RecordEvent(_Event):
    record = ma.fields.Nested(_RecordData, required=True)


class _PostEvent(_Event):
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 10000))
    record = ma.fields.Nested(_RecordRef)
    user = ma.fields.Email()

    @ma.validates_schema
    def _one_target(self, data, **kwargs):
        if ("record" in data) == ("user" in data):
            raise ma.ValidationError("give exactly one of record or user", "record")


class _VisitData(ma.Schema):
    external_id = ma.fields.String(validate=ma.validate.Length(1, 255))
    account = ma.fields.String(required=True, validate=ma.validate.Length(1, 255))
    rep = ma.fields.Email(required=True)
    contacts = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 255)))
    purpose = ma.fields.String(validate=ma.validate.Length(max=255))
    notes = ma.fields.String(validate=ma.validate.Length(max=10000))
    deal = ma.fields.String(validate=ma.validate.Length(1, 255))
    visibility = ma.fields.String(validate=ma.validate.OneOf(("team", "company", "private")))


class _VisitEvent(_Event):
    visit = ma.fields.Nested(_VisitData, required=True)


SCHEMAS = {
    **{kind: _RecordEvent() for kind in RECORD_KINDS},
    "post.created": _PostEvent(),
    "visit.logged": _VisitEvent(),
}


def parse_body(body: bytes, max_batch: int) -> list[Any]:
    """The list of raw events in a body, or InboundError 400 saying what is wrong."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InboundError("body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InboundError(f"body is not valid JSON: {exc}") from None
    if isinstance(data, dict) and "type" in data:
        events = [data]
    elif isinstance(data, dict) and isinstance(data.get("events"), list):
        events = data["events"]
    elif isinstance(data, list):
        events = data
    else:
        raise InboundError('body must be an event, a JSON array of events or {"events": [...]}')
    if not events:
        raise InboundError("the batch holds no events")
    if len(events) > max_batch:
        raise InboundError(f"a batch holds at most {max_batch} events, got {len(events)}", 413)
    return events


def translate(body: bytes, message_key: str, max_batch: int = 500) -> list[InboundChange]:
    """Turn a body of our format into changes; every event is checked before any is used."""
    raw_events = parse_body(body, max_batch)
    errors: dict[str, list[str]] = {}
    unknown: list[str] = []
    loaded: list[dict] = []
    for index, raw in enumerate(raw_events):
        where = f"events[{index}]"
        if not isinstance(raw, dict):
            errors[where] = ["an event must be a JSON object"]
            continue
        kind = raw.get("type")
        if kind not in SCHEMAS:
            unknown.append(repr(kind))
            errors[f"{where}.type"] = [
                f"unknown event type {kind!r}; known: {', '.join(EVENT_TYPES)}"
            ]
            continue
        try:
            loaded.append(SCHEMAS[kind].load(raw))
        except ma.ValidationError as exc:
            errors.update(_flatten(where, exc.messages))
    if unknown:
        raise InvalidEvents(f"unknown event type {', '.join(unknown)}", errors)
    if errors:
        raise InvalidEvents("invalid events: " + ", ".join(sorted(errors)), errors)
    keys = [data.get("idempotency_key") or f"{message_key}:{i}" for i, data in enumerate(loaded)]
    if len(set(keys)) != len(keys):
        raise InvalidEvents("idempotency_key repeats within the batch", {"idempotency_key": []})
    return [_change(data, key) for data, key in zip(loaded, keys, strict=True)]


def _flatten(prefix: str, messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(_flatten(f"{prefix}.{key}" if key != "_schema" else prefix, value))
        return flat
    return {prefix: [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]}


def _change(data: dict, dedupe_key: str) -> InboundChange:
    kind = data["type"]
    common = {
        "kind": kind,
        "dedupe_key": dedupe_key,
        "actor_email": data.get("actor"),
        "occurred_at": data.get("occurred_at"),
    }
    if kind in RECORD_KINDS:
        record = data["record"]
        return InboundChange(
            record_type=record["type"],
            external_id=record["external_id"],
            name=record.get("name", UNSET),
            owner_email=record.get("owner", UNSET),
            account_external_id=record.get("account", UNSET),
            fields=record.get("fields", {}),
            **common,
        )
    if kind == "post.created":
        target = data.get("record") or {}
        extra = {"target_user_email": data["user"]} if "user" in data else {}
        return InboundChange(
            record_type=target.get("type"),
            external_id=target.get("external_id"),
            body=data["text"],
            extra=extra,
            **common,
        )
    visit = data["visit"]
    return InboundChange(
        record_type="visit",
        external_id=visit.get("external_id"),
        owner_email=visit["rep"],
        account_external_id=visit["account"],
        body=visit.get("notes"),
        extra={
            "contacts": visit.get("contacts", []),
            "purpose": visit.get("purpose"),
            "deal_external_id": visit.get("deal"),
            "visibility": visit.get("visibility"),
        },
        **common,
    )
