"""Configurable vendor → Feedserver mapping of object types and fields, per integration.

A mapping says which of our record types a vendor object becomes and which of our fields each
vendor field fills. Field targets are our field names, plus these special targets:

- ``name``: the record's name (InboundChange.name)
- ``account``: the vendor id of the record's account (InboundChange.account_external_id)
- ``owner``: the owner; an email goes to owner_email, a vendor user id to
  ``extra["owner_external_id"]`` (owner_email stays unset: ids are not emails; a cleared owner
  is ``extra["owner_external_id"] = None``)
- ``actor``: who made the change; email → actor_email, id → ``extra["actor_external_id"]``
- ``body``: notes / description text (InboundChange.body)
- ``contacts``: vendor ids of the people involved (``extra["contact_external_ids"]``)

Fields without a mapping are dropped unless ``pass_through_unmapped`` is set; then they are kept
in ``fields`` under their vendor name, so an admin can see them before mapping them.

An object type without a mapping is NOT refused: the adapter emits the change with
``record_type=None`` and a warning, so the pipeline stores the event as failed and an admin can
fix the mapping and replay it (the issue: failed events are kept and replayable).

A record mapped to ``visit`` that is created is emitted as ``visit.logged``, with its start
(``check_in_at``) also in ``extra["visited_at"]`` as an aware datetime.

Object keys may carry a subtype after a colon (``activity:meeting``); adapters look the subtype
key up first, then the bare object name.

Overrides (an integration's JSON config) have the shape
``{"objects": {vendor_object: record_type | null}, "fields": {vendor_object: {vendor_field:
our_field | null}}, "pass_through_unmapped": bool}``; ``null`` removes a default entry.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from feedserver.webhooks.changes import InboundError

SPECIAL_TARGETS = ("name", "account", "owner", "actor", "body", "contacts")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_OVERRIDE_KEYS = ("objects", "fields", "pass_through_unmapped")


@dataclass(frozen=True)
class VendorMapping:
    """How one vendor's objects and fields become our record types and fields."""

    vendor: str
    objects: dict[str, str]
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    pass_through_unmapped: bool = False

    def record_type(self, vendor_object: str, subtype: str | None = None) -> str | None:
        """Return our record type for a vendor object (subtype key first), or None if unmapped."""
        if subtype is not None:
            found = self.objects.get(f"{vendor_object}:{subtype}")
            if found is not None:
                return found
        return self.objects.get(vendor_object)

    def field_map(self, vendor_object: str, subtype: str | None = None) -> dict[str, str]:
        """Return vendor field → our field for an object (subtype entries win)."""
        merged = dict(self.fields.get(vendor_object, {}))
        if subtype is not None:
            merged.update(self.fields.get(f"{vendor_object}:{subtype}", {}))
        return merged


_SALESFORCE = VendorMapping(
    vendor="salesforce",
    objects={
        "Opportunity": "opportunity",
        "Account": "account",
        "Contact": "contact",
        "Case": "case",
        "Event": "visit",
    },
    fields={
        "Opportunity": {
            "Name": "name",
            "StageName": "stage",
            "Amount": "amount",
            "CloseDate": "close_date",
            "Probability": "probability",
            "NextStep": "next_step",
            "AccountId": "account",
            "OwnerId": "owner",
            "LastModifiedById": "actor",
        },
        "Account": {
            "Name": "name",
            "Industry": "industry",
            "AnnualRevenue": "annual_revenue",
            "OwnerId": "owner",
            "LastModifiedById": "actor",
        },
        "Contact": {
            "Name": "name",
            "Title": "title",
            "Email": "email",
            "Phone": "phone",
            "AccountId": "account",
            "OwnerId": "owner",
            "LastModifiedById": "actor",
        },
        "Case": {
            "Subject": "subject",
            "Status": "status",
            "Priority": "priority",
            "IsEscalated": "escalated",
            "AccountId": "account",
            "OwnerId": "owner",
            "LastModifiedById": "actor",
        },
        "Event": {
            "Subject": "purpose",
            "StartDateTime": "check_in_at",
            "EndDateTime": "check_out_at",
            "Description": "body",
            "AccountId": "account",
            "WhoId": "contacts",
            "OwnerId": "owner",
            "LastModifiedById": "actor",
        },
    },
)

_HUBSPOT = VendorMapping(
    vendor="hubspot",
    objects={
        "deal": "opportunity",
        "company": "account",
        "contact": "contact",
        "ticket": "case",
    },
    fields={
        "deal": {
            "dealname": "name",
            "dealstage": "stage",
            "amount": "amount",
            "closedate": "close_date",
            "hs_deal_stage_probability": "probability",
            "hs_next_step": "next_step",
            "hubspot_owner_id": "owner",
        },
        "company": {
            "name": "name",
            "industry": "industry",
            "annualrevenue": "annual_revenue",
            "hubspot_owner_id": "owner",
        },
        "contact": {
            "jobtitle": "title",
            "email": "email",
            "phone": "phone",
            "hubspot_owner_id": "owner",
        },
        "ticket": {
            "subject": "subject",
            "hs_pipeline_stage": "status",
            "hs_ticket_priority": "priority",
            "hubspot_owner_id": "owner",
        },
    },
)

_PIPEDRIVE = VendorMapping(
    vendor="pipedrive",
    objects={
        "deal": "opportunity",
        "organization": "account",
        "person": "contact",
        "activity:meeting": "visit",
    },
    fields={
        "deal": {
            "title": "name",
            "stage_id": "stage",
            "value": "amount",
            "expected_close_date": "close_date",
            "probability": "probability",
            "org_id": "account",
            "owner_id": "owner",
        },
        "organization": {"name": "name", "owner_id": "owner"},
        "person": {
            "name": "name",
            "job_title": "title",
            "emails": "email",
            "phones": "phone",
            "org_id": "account",
            "owner_id": "owner",
        },
        "activity:meeting": {
            "subject": "purpose",
            "due_at": "check_in_at",
            "done": "status",
            "note": "body",
            "org_id": "account",
            "participants": "contacts",
            "owner_id": "owner",
        },
    },
)

DEFAULT_MAPPINGS: dict[str, VendorMapping] = {
    "salesforce": _SALESFORCE,
    "hubspot": _HUBSPOT,
    "pipedrive": _PIPEDRIVE,
}


def mapping_from_config(vendor: str, overrides: dict[str, Any] | None) -> VendorMapping:
    """Merge an integration's JSON overrides onto the vendor's default mapping (422 if invalid)."""
    default = DEFAULT_MAPPINGS.get(vendor)
    if default is None:
        raise InboundError(f"no mapping for vendor {vendor!r}", status=422, field="vendor")
    if not overrides:
        return default
    if not isinstance(overrides, dict):
        raise InboundError("mapping overrides must be a JSON object", status=422, field="mapping")
    for key in overrides:
        if key not in _OVERRIDE_KEYS:
            raise InboundError(
                f"unknown mapping key {key!r} (allowed: {', '.join(_OVERRIDE_KEYS)})",
                status=422,
                field=f"mapping.{key}",
            )
    objects = _merged_objects(default.objects, overrides.get("objects"))
    fields = {name: dict(mapped) for name, mapped in default.fields.items()}
    for vendor_object, mapped in _checked_object(overrides.get("fields"), "fields").items():
        where = f"mapping.fields.{vendor_object}"
        current = fields.setdefault(vendor_object, {})
        for vendor_field, target in _checked_object(mapped, where[len("mapping.") :]).items():
            if target is None:
                current.pop(vendor_field, None)
            else:
                current[vendor_field] = _checked_name(target, f"{where}.{vendor_field}")
    pass_through = overrides.get("pass_through_unmapped", default.pass_through_unmapped)
    if not isinstance(pass_through, bool):
        raise InboundError(
            "mapping.pass_through_unmapped must be true or false",
            status=422,
            field="mapping.pass_through_unmapped",
        )
    return VendorMapping(vendor, objects, fields, pass_through)


def _merged_objects(defaults: dict[str, str], overrides: Any) -> dict[str, str]:
    objects = dict(defaults)
    for vendor_object, record_type in _checked_object(overrides, "objects").items():
        if record_type is None:
            objects.pop(vendor_object, None)
        else:
            objects[vendor_object] = _checked_name(record_type, f"mapping.objects.{vendor_object}")
    return objects


def _checked_object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InboundError(
            f"mapping.{where} must be a JSON object", status=422, field=f"mapping.{where}"
        )
    return value


def _checked_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InboundError(
            f"{where} must be a lower-case name like 'opportunity' or 'close_date', got {value!r}",
            status=422,
            field=where,
        )
    return value
