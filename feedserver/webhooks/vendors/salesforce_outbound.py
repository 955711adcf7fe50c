"""Salesforce Outbound Messaging adapter: the SOAP notifications request → InboundChange.

One request carries 1–100 ``Notification`` elements, each with an ``Id`` (the dedupe key: a
redelivery repeats it) and an ``sObject`` whose ``xsi:type`` names the object (``sf:Account``)
and whose children are the fields the admin selected, with their CURRENT values (as text: SOAP
gives no types here; ``xsi:nil="true"`` is None). There is no change type: a notification whose
``CreatedDate`` equals its ``LastModifiedDate`` is a ``record.created``, any other a
``record.updated`` (the pipeline upserts and diffs against the stored record). A created Event
(mapped to ``visit``) is a ``visit.logged``. ``occurred_at`` is ``LastModifiedDate`` (else
``SystemModstamp``).

XML is parsed only with defusedxml, DTDs forbidden: entity expansion ("billion laughs") and
external entities are refused with a 400.

credentials: ``{"organization_ids": ["00D..."]}``. Outbound Messages carry no signature;
``authenticate`` checks the body's ``OrganizationId`` against this list (15- and 18-character
ids compare by their first 15 characters) and answers 401 when it is missing, unknown, or when
the list is empty (an integration without org ids accepts nobody).

The sender must be answered with ``ack_response()`` (``notificationsResponse`` / ``Ack true``),
or Salesforce retries the message.
"""

from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.request import InboundRequest
from feedserver.webhooks.vendors.common import (
    apply_fields,
    from_iso,
    log_as_visit,
    unmapped_object_warning,
)
from feedserver.webhooks.vendors.mapping import VendorMapping

SOURCE = "salesforce"
VENDOR = "Salesforce Outbound Message"
MAX_NOTIFICATIONS = 100

_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_OUTBOUND = "http://soap.sforce.com/2005/09/outbound"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

_ACK = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<soapenv:Envelope xmlns:soapenv="{_SOAP}">\n'
    " <soapenv:Body>\n"
    f'  <notificationsResponse xmlns="{_OUTBOUND}">\n'
    "   <Ack>true</Ack>\n"
    "  </notificationsResponse>\n"
    " </soapenv:Body>\n"
    "</soapenv:Envelope>\n"
).encode()


def ack_response() -> bytes:
    """Return the SOAP Ack envelope Salesforce expects, so it stops retrying the message."""
    return _ACK


def authenticate(request: InboundRequest, credentials: dict) -> None:
    """Refuse (401) a message whose OrganizationId is not one of the integration's orgs."""
    allowed = {str(org)[:15] for org in credentials.get("organization_ids") or [] if org}
    notifications = _notifications(_parse(request.body))
    organization = _text(notifications.find(f"{{{_OUTBOUND}}}OrganizationId"))
    if not allowed:
        raise InboundError("this integration lists no Salesforce organization id", status=401)
    if not organization:
        raise InboundError(f"{VENDOR} has no OrganizationId", status=401)
    if organization[:15] not in allowed:
        raise InboundError(
            f"Salesforce organization {organization!r} is not allowed for this integration",
            status=401,
        )


def translate(request: InboundRequest, mapping: VendorMapping) -> list[InboundChange]:
    """Turn each Notification of the SOAP request into one change."""
    notifications = _notifications(_parse(request.body))
    organization = _text(notifications.find(f"{{{_OUTBOUND}}}OrganizationId"))
    action = _text(notifications.find(f"{{{_OUTBOUND}}}ActionId"))
    items = notifications.findall(f"{{{_OUTBOUND}}}Notification")
    if not items:
        raise InboundError(f"{VENDOR} holds no Notification element")
    if len(items) > MAX_NOTIFICATIONS:
        raise InboundError(
            f"{VENDOR} holds {len(items)} notifications; Salesforce sends at most {MAX_NOTIFICATIONS}"
        )
    changes = []
    for index, item in enumerate(items):
        change = _translate_notification(item, f"Notification[{index}]", mapping)
        change.extra.update({"organization_id": organization, "action_id": action})
        changes.append(change)
    return changes


def _parse(body: bytes) -> Element:
    if not body.strip():
        raise InboundError(f"{VENDOR} body is empty")
    try:
        return fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InboundError(
            f"{VENDOR} refused: XML with DTDs or entities is not accepted ({exc})"
        ) from None
    except ParseError as exc:
        raise InboundError(f"{VENDOR} body is not well-formed XML: {exc}") from None


def _notifications(root: Element) -> Element:
    if root.tag != f"{{{_SOAP}}}Envelope":
        raise InboundError(f"{VENDOR} root element must be soapenv:Envelope, got {root.tag!r}")
    found = root.find(f"{{{_SOAP}}}Body/{{{_OUTBOUND}}}notifications")
    if found is None:
        raise InboundError(
            f"{VENDOR} has no soapenv:Body/notifications element in namespace {_OUTBOUND}"
        )
    return found


def _translate_notification(item: Element, where: str, mapping: VendorMapping) -> InboundChange:
    notification_id = _text(item.find(f"{{{_OUTBOUND}}}Id"))
    if not notification_id:
        raise InboundError(f"{VENDOR} {where} has no Id", field=f"{where}.Id")
    sobject = item.find(f"{{{_OUTBOUND}}}sObject")
    if sobject is None:
        raise InboundError(f"{VENDOR} {where} has no sObject", field=f"{where}.sObject")
    object_type = (sobject.get(f"{{{_XSI}}}type") or "").rpartition(":")[2]
    if not object_type:
        raise InboundError(
            f"{VENDOR} {where}.sObject has no xsi:type naming its object", field=f"{where}.sObject"
        )
    values = {_local(child.tag): _value(child) for child in sobject}
    record_id = values.pop("Id", None)
    if not record_id:
        raise InboundError(f"{VENDOR} {where}.sObject has no Id field", field=f"{where}.sObject")
    created = values.get("CreatedDate")
    modified = values.get("LastModifiedDate") or values.get("SystemModstamp")
    record_type = mapping.record_type(object_type)
    change = InboundChange(
        kind="record.created"
        if created and created == values.get("LastModifiedDate")
        else "record.updated",
        record_type=record_type,
        external_id=record_id,
        dedupe_key=notification_id,
        occurred_at=from_iso(modified, f"{where}.sObject.LastModifiedDate") if modified else None,
        extra={"sobject_type": object_type},
    )
    if record_type is None:
        change.warnings.append(unmapped_object_warning("Salesforce", object_type))
        return change
    apply_fields(change, mapping, object_type, values)
    if record_type == "visit" and change.kind == "record.created":
        log_as_visit(change)
    return change


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _value(element: Element) -> Any:
    if element.get(f"{{{_XSI}}}nil") == "true":
        return None
    if len(element):
        return {_local(child.tag): _value(child) for child in element}
    return element.text if element.text is not None else ""
