"""Shared helpers for vendor adapters: exact JSON parsing, timestamps, applying a field mapping."""

import json
from datetime import UTC, date, datetime
from typing import Any

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.vendors.mapping import VendorMapping


def load_json(body: bytes, vendor: str) -> Any:
    """Parse a vendor's JSON body exactly (ints stay ints, however large), or raise 400."""
    if not body.strip():
        raise InboundError(f"{vendor} webhook body is empty")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InboundError(f"{vendor} webhook body is not UTF-8: {exc}") from None
    try:
        # Integers are parsed by int() (exact: Salesforce commitNumber exceeds 2**53), never float.
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InboundError(f"{vendor} webhook body is not valid JSON: {exc}") from None


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not allowed", name, 0)


def from_epoch_ms(value: Any, where: str) -> datetime:
    """Turn epoch milliseconds (int or digit string) into an aware UTC datetime, or raise 400."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InboundError(f"{where} must be epoch milliseconds, got {value!r}", field=where)
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC).replace(
            microsecond=(value % 1000) * 1000
        )
    except (OverflowError, OSError, ValueError):
        raise InboundError(f"{where} is out of range: {value!r}", field=where) from None


def from_iso(value: Any, where: str) -> datetime:
    """Turn an ISO 8601 timestamp into an aware UTC datetime (naive means UTC), or raise 400."""
    if not isinstance(value, str):
        raise InboundError(f"{where} must be an ISO 8601 timestamp, got {value!r}", field=where)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InboundError(
            f"{where} is not an ISO 8601 timestamp: {value!r}", field=where
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def epoch_ms_to_iso(value: int) -> str:
    """Render epoch ms as an ISO date when it is midnight UTC (a date field), else a timestamp."""
    moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    if moment.time() == datetime.min.time():
        return date(moment.year, moment.month, moment.day).isoformat()
    return moment.isoformat().replace("+00:00", "Z")


def require_object(value: Any, where: str) -> dict[str, Any]:
    """Return value if it is a JSON object, else raise 400 naming where."""
    if not isinstance(value, dict):
        raise InboundError(f"{where} must be a JSON object, got {_kind(value)}", field=where)
    return value


def require_text(value: Any, where: str) -> str:
    """Return value as a non-empty string (ints are stringified ids), else raise 400."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise InboundError(f"{where} must be a non-empty string, got {value!r}", field=where)
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def unmapped_object_warning(vendor: str, vendor_object: str) -> str:
    """Explain to an admin why an event has no record type."""
    return (
        f"{vendor} object {vendor_object!r} has no mapping to a Feedserver record type; "
        "add one to the integration's mapping and replay this event"
    )


def apply_fields(
    change: InboundChange,
    mapping: VendorMapping,
    vendor_object: str,
    values: dict[str, Any],
    subtype: str | None = None,
) -> None:
    """Put the mapped vendor values on the change: our fields, name, account, owner, actor."""
    field_map = mapping.field_map(vendor_object, subtype)
    for vendor_field, value in values.items():
        target = field_map.get(vendor_field)
        if target is None:
            if mapping.pass_through_unmapped:
                change.fields[vendor_field] = value
            continue
        _set_target(change, target, value)


def log_as_visit(change: InboundChange) -> None:
    """Make a created visit record a ``visit.logged``, with ``extra["visited_at"]`` its start."""
    change.kind = "visit.logged"
    start = change.fields.get("check_in_at")
    if isinstance(start, str):
        try:
            change.extra["visited_at"] = from_iso(start, "check_in_at")
        except InboundError:
            change.warnings.append(f"visit start {start!r} is not a timestamp: commit time used")


def _set_target(change: InboundChange, target: str, value: Any) -> None:
    if target == "name":
        change.name = value
    elif target == "account":
        change.account_external_id = _id_or_none(value)
    elif target == "owner":
        _set_person(change, value, "owner")
    elif target == "actor":
        _set_person(change, value, "actor")
    elif target == "body":
        change.body = None if value is None else str(value)
    elif target == "contacts":
        change.extra["contact_external_ids"] = _ids(value)
    else:
        change.fields[target] = value


def _set_person(change: InboundChange, value: Any, role: str) -> None:
    # Vendor user ids are not emails: keep them apart so the pipeline never mistakes one.
    email = None
    if isinstance(value, dict):
        email = value.get("email")
        value = value.get("id", value.get("value"))
    elif isinstance(value, str) and "@" in value:
        email, value = value, None
    if value in (None, "") and email is None:
        change.extra[f"{role}_external_id"] = None  # the vendor cleared it
        return
    if email is not None:
        if role == "owner":
            change.owner_email = email
        else:
            change.actor_email = email
    if value is not None:
        change.extra[f"{role}_external_id"] = str(value)


def _id_or_none(value: Any) -> str | None:
    if isinstance(value, dict):  # vendors that nest the related object ({"value": 1, "name": ...})
        value = value.get("id", value.get("value"))
    return None if value is None else str(value)


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    return [str(ident) for item in value if (ident := _id_or_none(item)) is not None]
