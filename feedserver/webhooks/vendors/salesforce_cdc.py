"""Salesforce Change Data Capture adapter: change events forwarded by a bridge → InboundChange.

Accepted bodies (each may also come as a JSON array, one element per event):

- the CometD message ``{"channel": "/data/AccountChangeEvent", "data": {"schema", "payload",
  "event": {"replayId"}}}`` or just its ``data`` object;
- the decoded Pub/Sub API payload: the event's fields with ``ChangeEventHeader`` at top level.

Which fields an UPDATE changed: ``changedFields`` (plus ``nulledFields``) when the header lists
them as names (``"Name.LastName"`` counts as ``Name``); otherwise, for a CometD body, every field
it holds (CometD sends only changed fields). A Pub/Sub body holds every field with unchanged ones
null, so when its ``changedFields`` are missing or still undecoded bitmaps (``"0x400800"``) its
non-null fields are taken, with a warning that fields set to null are not known. Fields listed
in ``diffFields`` hold a text diff, not a value: they are skipped with a warning. Pub/Sub sends
dates as epoch ms: fields named ``*Date``/``*DateTime`` become ISO dates (or UTC timestamps).
Compound names become "First Last"; an update carrying only part of one is skipped with a
warning. Enriched fields riding along on an UPDATE or DELETE are not changes and are ignored.

Merged events (several ``recordIds``) yield one change per record. ``GAP_*`` and
``GAP_OVERFLOW`` events become ``kind="gap"`` changes with no fields and a warning (admins see
them; fetch the record from Salesforce); so does an event whose ``recordIds`` is a key prefix
with a wildcard (``001*``, lossy field conversions). An overflow event names no record (its id is
the empty id ``000000000000000AAA``): its ``external_id`` is None. ``commitNumber`` can exceed 2**53: it is parsed as an
exact int and kept as a decimal string in ``extra["commit_number"]``.

dedupe_key: ``<transactionKey>:<sequenceNumber>:<recordId>`` (the pair identifies the event in
Salesforce; the record id separates the records of a merged event).

Authentication: CDC has no signature. The bridge authenticates with the integration's Bearer
token, which the pipeline checks before anything else; ``authenticate`` here has nothing left to
verify and accepts (``credentials`` is unused and may be empty). Shape errors are 400s from
``translate``.
"""

from typing import Any

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.request import InboundRequest
from feedserver.webhooks.vendors.common import (
    apply_fields,
    epoch_ms_to_iso,
    from_epoch_ms,
    load_json,
    log_as_visit,
    require_object,
    require_text,
    unmapped_object_warning,
)
from feedserver.webhooks.vendors.mapping import VendorMapping

SOURCE = "salesforce"
VENDOR = "Salesforce CDC"

_KINDS = {
    "CREATE": "record.created",
    "UPDATE": "record.updated",
    "DELETE": "record.deleted",
    "UNDELETE": "record.undeleted",
}
_GAPS = ("GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW")
_HEADER = "ChangeEventHeader"
EMPTY_RECORD_ID = "000000000000000AAA"


def authenticate(request: InboundRequest, credentials: dict) -> None:
    """Accept: CDC carries no credentials; the pipeline verifies the bridge's Bearer token."""
    return None


def translate(request: InboundRequest, mapping: VendorMapping) -> list[InboundChange]:
    """Turn a forwarded change event (or an array of them) into our changes, one per record."""
    document = load_json(request.body, VENDOR)
    events = document if isinstance(document, list) else [document]
    if not events:
        raise InboundError(f"{VENDOR} body is an empty array: no change event")
    changes: list[InboundChange] = []
    for index, event in enumerate(events):
        where = f"[{index}]" if isinstance(document, list) else "body"
        changes.extend(_translate_event(event, where, mapping))
    return changes


def _translate_event(event: Any, where: str, mapping: VendorMapping) -> list[InboundChange]:
    payload, replay_id, cometd = _unwrap(require_object(event, where), where)
    header = require_object(payload.get(_HEADER), f"{where}.{_HEADER}")
    at = f"{where}.{_HEADER}"
    entity = require_text(header.get("entityName"), f"{at}.entityName")
    change_type = require_text(header.get("changeType"), f"{at}.changeType")
    if change_type not in _KINDS and change_type not in _GAPS:
        raise InboundError(
            f"unknown Salesforce changeType {change_type!r} at {at}.changeType "
            f"(known: {', '.join([*_KINDS, *_GAPS])})",
            status=422,
            field=f"{at}.changeType",
        )
    record_ids = _record_ids(header.get("recordIds"), f"{at}.recordIds", change_type)
    transaction = require_text(header.get("transactionKey"), f"{at}.transactionKey")
    sequence = header.get("sequenceNumber")
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise InboundError(
            f"{at}.sequenceNumber must be an integer, got {sequence!r}",
            field=f"{at}.sequenceNumber",
        )
    occurred_at = from_epoch_ms(header.get("commitTimestamp"), f"{at}.commitTimestamp")
    record_type = mapping.record_type(entity)
    extra = _header_extra(header, entity, change_type, replay_id, at)

    if change_type in _GAPS or not all(_names_one_record(ident) for ident in record_ids):
        return [
            _gap(entity, change_type, ident, record_type, transaction, sequence, occurred_at, extra)
            for ident in record_ids
        ]

    values, warnings = _changed_values(payload, header, change_type, cometd, at)
    changes = []
    for record_id in record_ids:
        change = InboundChange(
            kind=_KINDS[change_type],
            record_type=record_type,
            external_id=record_id,
            dedupe_key=f"{transaction}:{sequence}:{record_id}",
            occurred_at=occurred_at,
            extra=dict(extra),
            warnings=list(warnings),
        )
        if header.get("commitUser"):
            change.extra["actor_external_id"] = str(header["commitUser"])
        if record_type is None:
            change.warnings.append(unmapped_object_warning("Salesforce", entity))
        else:
            apply_fields(change, mapping, entity, values)
            if record_type == "visit" and change.kind == "record.created":
                log_as_visit(change)
        if len(record_ids) > 1:
            change.extra["merged_record_ids"] = list(record_ids)
        changes.append(change)
    return changes


def _unwrap(event: dict[str, Any], where: str) -> tuple[dict[str, Any], Any, bool]:
    """Return (payload, replayId, is_cometd) for a CometD message, its data, or a Pub/Sub payload."""
    if _HEADER in event:
        return event, event.get("replayId"), False
    data = event.get("data", event)
    if isinstance(data, dict) and "payload" in data:
        payload = require_object(data["payload"], f"{where}.payload")
        replay = (
            data.get("event", {}).get("replayId") if isinstance(data.get("event"), dict) else None
        )
        return payload, replay, True
    raise InboundError(
        f"{where} is not a Salesforce change event: expected a CometD message with "
        f"data.payload.{_HEADER} or a Pub/Sub payload with {_HEADER}",
        field=where,
    )


def _record_ids(value: Any, where: str, change_type: str) -> list[str]:
    if value is None and change_type == "GAP_OVERFLOW":
        return [EMPTY_RECORD_ID]  # an overflow event names no record
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise InboundError(f"{where} must be an array of record ids, got {value!r}", field=where)
    if not value:
        if change_type == "GAP_OVERFLOW":
            return [EMPTY_RECORD_ID]
        raise InboundError(
            f"{where} is empty: a change event names at least one record", field=where
        )
    return value


def _names_one_record(record_id: str) -> bool:
    # Overflow events carry the empty id; lossy field conversions a key prefix like "001*".
    return record_id != EMPTY_RECORD_ID and not record_id.endswith("*")


def _header_extra(header: dict, entity: str, change_type: str, replay_id: Any, at: str) -> dict:
    extra: dict[str, Any] = {"entity_name": entity, "change_type": change_type}
    commit_number = header.get("commitNumber")
    if commit_number is not None:
        if isinstance(commit_number, str) and commit_number.isdigit():
            commit_number = int(commit_number)
        if isinstance(commit_number, bool) or not isinstance(commit_number, int):
            raise InboundError(
                f"{at}.commitNumber must be an integer, got {commit_number!r}",
                field=f"{at}.commitNumber",
            )
        # A decimal string: JSON consumers that read numbers as doubles would round it.
        extra["commit_number"] = str(commit_number)
    if header.get("changeOrigin"):
        extra["change_origin"] = header["changeOrigin"]
    if replay_id is not None:
        extra["replay_id"] = str(replay_id)
    return extra


def _gap(entity, change_type, record_id, record_type, transaction, sequence, occurred_at, extra):
    single = _names_one_record(record_id)
    if change_type in _GAPS:
        what = f"{change_type} for {entity} {record_id if single else '(no single record)'}"
        warning = (
            f"Salesforce sent {what}: the change itself was not captured, so no field is applied"
        )
    else:
        what = f"{change_type} for every {entity} with id prefix {record_id}"
        warning = f"Salesforce sent {what} (a lossy field conversion): no field is applied"
    warnings = [f"{warning}; fetch the records from Salesforce"]
    if record_type is None:
        warnings.append(unmapped_object_warning("Salesforce", entity))
    gap_extra = dict(extra)
    if record_id.endswith("*"):
        gap_extra["record_id_prefix"] = record_id[:-1]
    return InboundChange(
        kind="gap",
        record_type=record_type,
        external_id=record_id if single else None,
        dedupe_key=f"{transaction}:{sequence}:{record_id}",
        occurred_at=occurred_at,
        extra=gap_extra,
        warnings=warnings,
    )


def _changed_values(
    payload: dict[str, Any], header: dict[str, Any], change_type: str, cometd: bool, at: str
) -> tuple[dict[str, Any], list[str]]:
    """Pick the fields this event reports, with their values, normalised."""
    body = {name: value for name, value in payload.items() if name != _HEADER}
    warnings: list[str] = []
    if change_type == "DELETE":
        return {}, warnings  # enriched fields may ride along on a delete: they are not changes
    names = _field_names(header.get("changedFields"), f"{at}.changedFields")
    nulled = _field_names(header.get("nulledFields"), f"{at}.nulledFields")
    diffed = _field_names(header.get("diffFields"), f"{at}.diffFields")
    if change_type == "UPDATE" and names:
        picked = {name: body.get(name) for name in names}
        for name in nulled or ():
            picked[name] = None
    elif change_type == "UPDATE" and cometd and names is not None and not _pubsub_header(header):
        picked = body  # CometD sends only the changed fields (nulled ones as null)
    else:
        # CREATE / UNDELETE, or an UPDATE whose changedFields are missing or still Pub/Sub
        # bitmaps: unchanged fields are null there, so the non-null fields are the changes.
        picked = {name: value for name, value in body.items() if value is not None}
        if change_type == "UPDATE":
            warnings.append(
                "Salesforce UPDATE without changedFields as names: its non-null fields were "
                "taken, and fields set to null could not be told apart"
            )
    name = picked.get("Name")
    if change_type == "UPDATE" and isinstance(name, dict) and not _full_name(name):
        # An update sends only the changed parts of a compound name: the whole is unknown.
        del picked["Name"]
        warnings.append("Salesforce sent part of the compound Name only: fetch the full name")
    if diffed is None:
        warnings.append("Salesforce diffFields came as a bitmap: text fields may hold diffs")
    for name in sorted(set(diffed or ()) & set(picked)):
        del picked[name]
        warnings.append(f"Salesforce sent {name} as a diff, not a value: fetch it from Salesforce")
    return {name: _normalised(name, value) for name, value in picked.items()}, warnings


def _pubsub_header(header: dict[str, Any]) -> bool:
    # Only Pub/Sub headers carry these: such a body holds every field, unchanged ones null.
    return "nulledFields" in header or "diffFields" in header


def _field_names(value: Any, where: str) -> list[str] | None:
    """Return the top-level field names listed ([] when absent), None for an undecoded bitmap."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InboundError(f"{where} must be an array of field names, got {value!r}", field=where)
    if any(_is_bitmap(item) for item in value):
        return None  # Pub/Sub bitmaps ("0x400800", "4-0x10") the bridge did not decode
    names: list[str] = []
    for item in value:
        top = item.split(".", 1)[0]  # "Name.LastName" changes the compound field Name
        if top not in names:
            names.append(top)
    return names


def _is_bitmap(item: str) -> bool:
    head, _, tail = item.rpartition("-")
    return tail.startswith("0x") and (not head or head.isdigit())


def _normalised(name: str, value: Any) -> Any:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and name.endswith(("Date", "DateTime"))
    ):
        return epoch_ms_to_iso(value)  # Pub/Sub sends date and datetime fields as epoch ms
    if name == "Name" and isinstance(value, dict):
        parts = [value.get(key) for key in ("FirstName", "MiddleName", "LastName", "Suffix")]
        return " ".join(part for part in parts if part) or None
    return value


def _full_name(name: dict[str, Any]) -> bool:
    return bool(name.get("FirstName")) and bool(name.get("LastName"))
