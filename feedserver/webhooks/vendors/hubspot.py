"""HubSpot webhooks adapter: signature v1/v2/v3 checks and event arrays → InboundChange.

A body is a JSON array of up to 100 events. The type is ``subscriptionType`` (or ``eventType``
in older renderings), ``<object>.<event>`` with object contact / company / deal / ticket / ...
or ``object`` (generic, with ``objectTypeId`` 0-1 contact, 0-2 company, 0-3 deal, 0-5 ticket):

- ``creation`` → record.created (HubSpot sends no properties with it)
- ``propertyChange`` → record.updated with the one property (``propertyName``/``propertyValue``)
- ``deletion`` / ``privacyDeletion`` → record.deleted; ``restore`` → record.undeleted
- ``merge`` → record.deleted for each merged-away id, ``extra["merged_into"]`` the survivor
- ``associationChange`` deal/contact/ticket → company → record.updated of its account; other
  associations yield no change (we keep no such link)

Date properties arrive as epoch-ms strings and become ISO dates; an empty ``propertyValue`` (a
cleared property) becomes None; ``hubspot_owner_id`` becomes
``extra["owner_external_id"]`` (an id, not an email). ``sourceId`` "userId:<id>" becomes
``extra["actor_external_id"]``.

dedupe_key: ``<portalId>:<subscriptionId>:<eventId>:<objectId>[:<propertyName>]``. ``eventId``
alone is not unique; ``attemptNumber`` is left out on purpose so a retry of the same event
dedupes.

credentials: ``{"client_secrets": [current, previous, ...], "signature_versions": ["v3", "v2",
"v1"]}`` (versions optional, default all three; list only "v3" to refuse the replayable older
ones). v3 (``X-HubSpot-Signature-v3`` = base64 HMAC-SHA256 of method + URI + body + timestamp,
``X-HubSpot-Request-Timestamp`` in ms) is used whenever present and is refused when its
timestamp is more than 5 minutes from ``received_at``. Otherwise ``X-HubSpot-Signature-Version``
picks v1 (hex sha256 of secret + body) or v2 (hex sha256 of secret + method + URI + body).
"""

import base64
import hashlib
import hmac
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.request import InboundRequest
from feedserver.webhooks.vendors.common import (
    apply_fields,
    epoch_ms_to_iso,
    from_epoch_ms,
    load_json,
    require_object,
    require_text,
    unmapped_object_warning,
)
from feedserver.webhooks.vendors.mapping import VendorMapping

SOURCE = "hubspot"
VENDOR = "HubSpot"
MAX_EVENTS = 100
MAX_AGE = timedelta(minutes=5)
ALL_VERSIONS = ("v3", "v2", "v1")

_KINDS = {
    "creation": "record.created",
    "propertyChange": "record.updated",
    "deletion": "record.deleted",
    "privacyDeletion": "record.deleted",
    "restore": "record.undeleted",
    "merge": "record.deleted",
    "associationChange": "record.updated",
}
_OBJECT_TYPE_IDS = {"0-1": "contact", "0-2": "company", "0-3": "deal", "0-5": "ticket"}
_ACCOUNT_ASSOCIATIONS = {"DEAL_TO_COMPANY", "CONTACT_TO_COMPANY", "TICKET_TO_COMPANY"}
_DATE_PROPERTIES = {"closedate", "createdate", "hs_lastmodifieddate", "lastmodifieddate"}
# HubSpot's v3 instructions: these URL-encoded characters are decoded in the signed URI.
_V3_DECODED = ("%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B")


def authenticate(request: InboundRequest, credentials: dict) -> None:
    """Refuse (401) a request whose HubSpot signature is missing, wrong or too old."""
    secrets = [secret for secret in credentials.get("client_secrets") or [] if secret]
    if not secrets:
        raise InboundError("this integration has no HubSpot client secret", status=401)
    versions = credentials.get("signature_versions") or ALL_VERSIONS
    v3 = request.header("X-HubSpot-Signature-v3")
    if v3 is not None:
        if "v3" not in versions:
            raise InboundError(
                "HubSpot signature v3 is not accepted by this integration", status=401
            )
        _check_v3(request, secrets, v3)
        return
    signature = request.header("X-HubSpot-Signature")
    version = (request.header("X-HubSpot-Signature-Version") or "v1").lower()
    if signature is None:
        raise InboundError("missing HubSpot signature header", status=401)
    if version not in ("v1", "v2") or version not in versions:
        raise InboundError(f"HubSpot signature {version} is not accepted", status=401)
    for secret in secrets:
        if version == "v1":
            source = secret.encode() + request.body
        else:
            source = (secret + request.method.upper() + request.url).encode() + request.body
        if hmac.compare_digest(hashlib.sha256(source).hexdigest(), signature.strip().lower()):
            return
    raise InboundError(f"HubSpot signature {version} does not match", status=401)


def _check_v3(request: InboundRequest, secrets: list[str], signature: str) -> None:
    stamp = request.header("X-HubSpot-Request-Timestamp")
    if stamp is None or not stamp.strip().isdigit():
        raise InboundError("missing or invalid X-HubSpot-Request-Timestamp", status=401)
    sent_at = from_epoch_ms(int(stamp), "X-HubSpot-Request-Timestamp")
    if abs(request.received_at - sent_at) > MAX_AGE:
        raise InboundError(
            f"HubSpot request timestamp {sent_at.isoformat()} is more than 5 minutes from now",
            status=401,
        )
    for uri in _signed_uris(request.url):
        message = (request.method.upper() + uri).encode() + request.body + stamp.strip().encode()
        for secret in secrets:
            digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
            if hmac.compare_digest(base64.b64encode(digest).decode(), signature.strip()):
                return
    raise InboundError("HubSpot signature v3 does not match", status=401)


def _signed_uris(url: str) -> list[str]:
    decoded = url
    for encoded in _V3_DECODED:
        for variant in (encoded, encoded.lower()):
            decoded = decoded.replace(variant, unquote(encoded))
    # Also the fully decoded URI, as some of HubSpot's own examples sign it.
    return list(dict.fromkeys([url, decoded, unquote(url)]))


def translate(request: InboundRequest, mapping: VendorMapping) -> list[InboundChange]:
    """Turn a HubSpot event array into our changes, in order."""
    document = load_json(request.body, VENDOR)
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not document:
        raise InboundError(f"{VENDOR} webhook body must be a non-empty JSON array of events")
    if len(document) > MAX_EVENTS:
        raise InboundError(f"{VENDOR} sends at most {MAX_EVENTS} events, got {len(document)}")
    changes: list[InboundChange] = []
    for index, event in enumerate(document):
        changes.extend(_translate_event(require_object(event, f"[{index}]"), f"[{index}]", mapping))
    return changes


def _translate_event(
    event: dict[str, Any], where: str, mapping: VendorMapping
) -> list[InboundChange]:
    event_type = event.get("subscriptionType", event.get("eventType"))
    event_type = require_text(event_type, f"{where}.subscriptionType")
    vendor_object, _, action = event_type.partition(".")
    if action not in _KINDS:
        raise InboundError(
            f"unknown HubSpot event type {event_type!r} at {where}",
            status=422,
            field=f"{where}.subscriptionType",
        )
    if vendor_object == "object":
        type_id = event.get("objectTypeId")
        vendor_object = _OBJECT_TYPE_IDS.get(str(type_id), f"object:{type_id}")
    key = ":".join(
        require_text(event.get(name), f"{where}.{name}")
        for name in ("portalId", "subscriptionId", "eventId")
    )
    occurred_at = from_epoch_ms(event.get("occurredAt"), f"{where}.occurredAt")
    record_type = mapping.record_type(vendor_object)

    def change(kind: str, object_id: str, suffix: str = "") -> InboundChange:
        made = InboundChange(
            kind=kind,
            record_type=record_type,
            external_id=object_id,
            dedupe_key=f"{key}:{object_id}{suffix}",
            occurred_at=occurred_at,
            extra={"event_type": event_type},
        )
        if event.get("changeSource"):
            made.extra["change_source"] = event["changeSource"]
        source_id = event.get("sourceId")
        if isinstance(source_id, str) and source_id.startswith("userId:"):
            made.extra["actor_external_id"] = source_id.removeprefix("userId:")
        if record_type is None:
            made.warnings.append(unmapped_object_warning(VENDOR, vendor_object))
        return made

    if action == "merge":
        return _merge(event, where, change)
    if action == "associationChange":
        return _association(event, where, change)
    made = change(_KINDS[action], require_text(event.get("objectId"), f"{where}.objectId"))
    if action == "propertyChange":
        name = require_text(event.get("propertyName"), f"{where}.propertyName")
        made.dedupe_key += f":{name}"
        value = event.get("propertyValue")
        if value == "":
            value = None  # HubSpot clears a property by sending it empty
        if name in _DATE_PROPERTIES and isinstance(value, str) and value.isdigit():
            value = epoch_ms_to_iso(int(value))
        if record_type is not None:
            apply_fields(made, mapping, vendor_object, {name: value})
    return [made]


def _merge(event: dict[str, Any], where: str, change) -> list[InboundChange]:
    primary = require_text(event.get("primaryObjectId"), f"{where}.primaryObjectId")
    survivor = str(event.get("newObjectId") or primary)
    merged = event.get("mergedObjectIds")
    if not isinstance(merged, list) or not merged:
        raise InboundError(
            f"{where}.mergedObjectIds must be a non-empty array", field=f"{where}.mergedObjectIds"
        )
    changes = []
    for index, object_id in enumerate(merged):
        gone = require_text(object_id, f"{where}.mergedObjectIds[{index}]")
        if gone == survivor:
            continue
        made = change("record.deleted", gone)
        made.extra["merged_into"] = survivor
        made.warnings.append(f"HubSpot merged {gone} into {survivor}")
        changes.append(made)
    return changes


def _association(event: dict[str, Any], where: str, change) -> list[InboundChange]:
    association = event.get("associationType")
    if association not in _ACCOUNT_ASSOCIATIONS:
        return []  # we keep no link for other associations (deal-contact, ...)
    from_id = require_text(event.get("fromObjectId"), f"{where}.fromObjectId")
    to_id = require_text(event.get("toObjectId"), f"{where}.toObjectId")
    made = change("record.updated", from_id, f":{association}:{to_id}")
    made.account_external_id = None if event.get("associationRemoved") else to_id
    return [made]
