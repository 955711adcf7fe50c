"""Pipedrive webhooks v2 adapter: optional HTTP Basic auth and ``meta``/``data``/``previous`` bodies.

``meta.action`` is create / change / delete, ``meta.entity`` the object (deal, organization,
person, activity, note, lead, ...), ``meta.entity_id`` its id, ``meta.id`` the event id (the
dedupe key), ``meta.timestamp`` when it happened, ``meta.user_id`` who did it
(``extra["actor_external_id"]``). ``data`` is the object now (null on delete); ``previous``
holds only the fields a change modified (with their old values), so a change maps only those
fields, taking their new values from ``data``. Custom fields are ``custom_fields.<key>``.

Objects: deal → opportunity, organization → account, person → contact; an activity is looked up
as ``activity:<type>`` first (default: ``activity:meeting`` → visit; a created meeting is a
``visit.logged``); a note created on a deal/organization/person becomes a ``post.created`` on
that record (note edits and deletions yield no change: we keep posts, not note history).
An activity's ``due_date`` + ``due_time`` (UTC) become the synthetic field ``due_at``
(meeting → ``check_in_at``). ``owner_id`` / ``user_id`` are Pipedrive user ids (``extra``), not emails; an email is used only
when the payload carries one (a nested owner object). Person ``emails``/``phones`` give their
primary value. Webhooks v1 bodies (``current``, ``meta.object``) are refused with a 400.

credentials: ``{"basic_username": ..., "basic_password": ...}``. When both are absent the vendor
sends no credentials and ``authenticate`` accepts (the pipeline then requires our own token);
otherwise the ``Authorization: Basic`` header must match them exactly (401).
"""

import base64
import binascii
import hmac
from typing import Any

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.request import InboundRequest
from feedserver.webhooks.vendors.common import (
    apply_fields,
    from_iso,
    load_json,
    log_as_visit,
    require_object,
    require_text,
    unmapped_object_warning,
)
from feedserver.webhooks.vendors.mapping import VendorMapping

SOURCE = "pipedrive"
VENDOR = "Pipedrive"

_KINDS = {"create": "record.created", "change": "record.updated", "delete": "record.deleted"}
_NOTE_TARGETS = (("deal_id", "deal"), ("org_id", "organization"), ("person_id", "person"))


def authenticate(request: InboundRequest, credentials: dict) -> None:
    """Refuse (401) a request whose HTTP Basic credentials do not match the configured ones."""
    username = credentials.get("basic_username")
    password = credentials.get("basic_password")
    if username is None and password is None:
        return
    header = request.header("Authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise InboundError("Pipedrive webhook needs HTTP Basic credentials", status=401)
    try:
        given = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InboundError(
            "Pipedrive HTTP Basic credentials are not valid base64", status=401
        ) from None
    given_user, _, given_password = given.partition(":")
    user_ok = hmac.compare_digest(given_user.encode(), (username or "").encode())
    password_ok = hmac.compare_digest(given_password.encode(), (password or "").encode())
    if not (user_ok and password_ok):
        raise InboundError("Pipedrive HTTP Basic credentials do not match", status=401)


def translate(request: InboundRequest, mapping: VendorMapping) -> list[InboundChange]:
    """Turn one Pipedrive v2 webhook into our changes (none for note edits/deletions)."""
    document = require_object(load_json(request.body, VENDOR), "body")
    if "current" in document or (
        isinstance(document.get("meta"), dict) and "object" in document["meta"]
    ):
        raise InboundError("Pipedrive webhooks v1 bodies are not accepted: create a v2 webhook")
    meta = require_object(document.get("meta"), "meta")
    action = require_text(meta.get("action"), "meta.action")
    entity = require_text(meta.get("entity"), "meta.entity")
    if action not in _KINDS:
        raise InboundError(
            f"unknown Pipedrive action {action!r} for {entity} (known: create, change, delete)",
            status=422,
            field="meta.action",
        )
    data = document.get("data")
    previous = document.get("previous")
    if action != "delete":
        data = require_object(data, "data")
    if previous is not None:
        previous = require_object(previous, "previous")
    entity_id = require_text(meta.get("entity_id"), "meta.entity_id")
    change = InboundChange(
        kind=_KINDS[action],
        record_type=None,
        external_id=entity_id,
        dedupe_key=require_text(meta.get("id"), "meta.id"),
        occurred_at=from_iso(meta["timestamp"], "meta.timestamp")
        if meta.get("timestamp")
        else None,
        extra={"entity": entity},
    )
    if meta.get("user_id") is not None:
        change.extra["actor_external_id"] = str(meta["user_id"])
    if meta.get("merged_to_id") is not None:
        change.extra["merged_into"] = str(meta["merged_to_id"])
        change.warnings.append(f"Pipedrive merged {entity} {entity_id} into {meta['merged_to_id']}")
    if entity == "note":
        return _note(change, action, data or {}, mapping)

    subtype = _activity_type(data, previous) if entity == "activity" else None
    change.record_type = mapping.record_type(entity, subtype)
    if change.record_type is None:
        change.warnings.append(
            unmapped_object_warning(VENDOR, f"{entity}:{subtype}" if subtype else entity)
        )
        return [change]
    if action == "create":
        values = {name: value for name, value in _flat(data).items() if value is not None}
    elif action == "change":
        current = _flat(data)
        values = {name: current.get(name) for name in _flat(previous or {})}
    else:
        values = {}
    if entity == "activity" and ("due_date" in values or "due_time" in values):
        values["due_at"] = _due_at(data)
    apply_fields(change, mapping, entity, _normalised(values), subtype)
    if change.record_type == "visit" and action == "create":
        log_as_visit(change)
    return [change]


def _note(
    change: InboundChange, action: str, data: dict, mapping: VendorMapping
) -> list[InboundChange]:
    if action != "create":
        return []
    for key, target in _NOTE_TARGETS:
        if data.get(key) is not None:
            change.kind = "post.created"
            change.record_type = mapping.record_type(target)
            change.external_id = str(data[key])
            change.body = data.get("content")
            change.extra["note_external_id"] = str(data.get("id", ""))
            if change.record_type is None:
                change.warnings.append(unmapped_object_warning(VENDOR, target))
            return [change]
    change.warnings.append("Pipedrive note is attached to no deal, organization or person")
    return [change]


def _due_at(data: dict[str, Any]) -> str | None:
    """Join an activity's due_date and due_time (both UTC in Pipedrive) into one timestamp."""
    day, time = data.get("due_date"), data.get("due_time")
    if not isinstance(day, str) or not day:
        return None
    if not isinstance(time, str) or not time:
        return day
    return f"{day}T{time}:00Z" if time.count(":") == 1 else f"{day}T{time}Z"


def _activity_type(data: Any, previous: Any) -> str | None:
    for source in (data, previous):
        if isinstance(source, dict) and isinstance(source.get("type"), str):
            return source["type"]
    return None


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    """Flatten custom_fields into ``custom_fields.<key>`` so they map like other fields."""
    flat = {name: value for name, value in values.items() if name != "custom_fields"}
    custom = values.get("custom_fields")
    if isinstance(custom, dict):
        for key, value in custom.items():
            flat[f"custom_fields.{key}"] = value
    return flat


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    normalised = {}
    for name, value in values.items():
        if name in ("emails", "phones") and isinstance(value, list):
            value = _primary(value)
        elif name == "participants" and isinstance(value, list):
            value = [item.get("person_id") for item in value if isinstance(item, dict)]
        elif name == "done" and isinstance(value, bool):
            value = "done" if value else "planned"
        normalised[name] = value
    return normalised


def _primary(items: list[Any]) -> Any:
    values = [item for item in items if isinstance(item, dict)]
    chosen = next((item for item in values if item.get("primary")), values[0] if values else None)
    return None if chosen is None else chosen.get("value")
