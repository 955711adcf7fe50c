"""Pipedrive webhooks v2: optional HTTP Basic auth, meta/data/previous translated."""

import base64
import json

import pytest

from feedserver.records.changes import UNSET
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.vendors import pipedrive
from feedserver.webhooks.vendors.mapping import mapping_from_config
from tests.webhooks.vendors.payloads import at, inbound, payload

MAPPING = mapping_from_config("pipedrive", None)


def translate(name_or_body: str | bytes, mapping=MAPPING) -> list[InboundChange]:
    body = payload(name_or_body) if isinstance(name_or_body, str) else name_or_body
    return pipedrive.translate(inbound(body), mapping)


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# --- authentication ---------------------------------------------------------------------------

CREDENTIALS = {"basic_username": "pipedrive", "basic_password": "s3cret:with-colon"}


def test_matching_basic_credentials_authenticate():
    request = inbound(b"{}", basic("pipedrive", "s3cret:with-colon"))
    assert pipedrive.authenticate(request, CREDENTIALS) is None


def test_no_configured_credentials_means_the_vendor_sends_none():
    assert pipedrive.authenticate(inbound(b"{}"), {}) is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("pipedrive", "wrong"),
        basic("someone", "s3cret:with-colon"),
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic !!!not-base64"},
    ],
)
def test_missing_or_wrong_basic_credentials_are_refused_401(headers):
    with pytest.raises(InboundError) as refused:
        pipedrive.authenticate(inbound(b"{}", headers), CREDENTIALS)
    assert refused.value.status == 401


# --- translation ------------------------------------------------------------------------------


def test_documented_deal_change_of_an_unmapped_custom_field_changes_no_field():
    assert translate("pipedrive_v2_deal_change.json") == [
        InboundChange(
            kind="record.updated",
            record_type="opportunity",
            external_id="8",
            dedupe_key="df47d877-b58c-4886-91cd-1aa83e1d7366",
            occurred_at=at("2022-11-24T15:11:55.724000+00:00"),
            extra={"entity": "deal", "actor_external_id": "12415231"},
        )
    ]


def test_custom_field_can_be_mapped_by_its_key():
    mapping = mapping_from_config(
        "pipedrive",
        {"fields": {"deal": {"custom_fields.3d0fa3429dfa2d3dec265b4fc5dc8258ab66cdf3": "region"}}},
    )
    (change,) = translate("pipedrive_v2_deal_change.json", mapping)
    assert change.fields["region"]["value"] == "Tallinn, Estonia"


def test_deal_create_maps_every_non_null_field():
    assert translate("pipedrive_v2_deal_create.json") == [
        InboundChange(
            kind="record.created",
            record_type="opportunity",
            external_id="9",
            dedupe_key="5c3f8e0a-8b1d-4f7e-9d44-1e2a3b4c5d6e",
            name="Tallinn expansion",
            account_external_id="1",
            fields={
                "close_date": "2024-06-30",
                "probability": 40,
                "stage": 1,
                "amount": 25000,
            },
            occurred_at=at("2024-04-30T08:00:00.412000+00:00"),
            extra={
                "entity": "deal",
                "actor_external_id": "12415231",
                "owner_external_id": "12415231",
            },
        )
    ]


def test_deal_change_takes_only_the_fields_named_in_previous_with_their_new_values():
    (change,) = translate("pipedrive_v2_deal_stage_value_change.json")
    assert change.kind == "record.updated"
    assert change.fields == {"stage": 3, "amount": 32000}
    assert change.name is UNSET
    assert change.account_external_id is UNSET
    assert change.extra == {"entity": "deal", "actor_external_id": "12415232"}
    assert change.dedupe_key == "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"


def test_deal_delete_has_no_fields():
    assert translate("pipedrive_v2_deal_delete.json") == [
        InboundChange(
            kind="record.deleted",
            record_type="opportunity",
            external_id="9",
            dedupe_key="0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b",
            occurred_at=at("2024-05-03T12:00:00+00:00"),
            extra={"entity": "deal", "actor_external_id": "12415231"},
        )
    ]


def test_person_change_takes_the_primary_email_and_the_new_organization():
    (change,) = translate("pipedrive_v2_person_change.json")
    assert change.record_type == "contact"
    assert change.fields == {"email": "maria.tamm@example.ee"}
    assert change.account_external_id == "1"
    assert change.owner_email is UNSET


def test_meeting_activity_create_logs_a_visit():
    assert translate("pipedrive_v2_activity_meeting_create.json") == [
        InboundChange(
            kind="visit.logged",
            record_type="visit",
            external_id="31",
            dedupe_key="9a8b7c6d-5e4f-4321-a0b9-c8d7e6f5a4b3",
            account_external_id="1",
            fields={
                "status": "done",
                "purpose": "Pilot kickoff",
                "check_in_at": "2024-05-06T06:30:00Z",
            },
            body="Walked through the pilot plan with the CFO.",
            occurred_at=at("2024-05-06T07:10:00.300000+00:00"),
            extra={
                "entity": "activity",
                "actor_external_id": "12415231",
                "owner_external_id": "12415231",
                "contact_external_ids": ["8"],
                "visited_at": at("2024-05-06T06:30:00+00:00"),
            },
        )
    ]


def test_call_activity_has_no_mapping_and_is_kept_with_a_warning():
    event = json.loads(payload("pipedrive_v2_activity_meeting_create.json"))
    event["data"]["type"] = "call"
    (change,) = translate(json.dumps(event).encode())
    assert change.record_type is None
    assert change.kind == "record.created"
    assert change.warnings == [
        "Pipedrive object 'activity:call' has no mapping to a Feedserver record type; "
        "add one to the integration's mapping and replay this event"
    ]


def test_note_on_a_deal_becomes_a_post_on_the_opportunity():
    assert translate("pipedrive_v2_note_create.json") == [
        InboundChange(
            kind="post.created",
            record_type="opportunity",
            external_id="9",
            dedupe_key="4d3c2b1a-0f9e-4d8c-b7a6-958473625140",
            body="Customer asked for a second quote with annual billing.",
            occurred_at=at("2024-05-06T08:00:00.020000+00:00"),
            extra={"entity": "note", "actor_external_id": "12415231", "note_external_id": "77"},
        )
    ]


def test_note_edit_yields_no_change():
    event = json.loads(payload("pipedrive_v2_note_create.json"))
    event["meta"]["action"] = "change"
    event["previous"] = {"content": "old"}
    assert translate(json.dumps(event).encode()) == []


def test_delete_after_a_merge_names_the_surviving_record():
    event = json.loads(payload("pipedrive_v2_deal_delete.json"))
    event["meta"]["merged_to_id"] = "12"
    (change,) = translate(json.dumps(event).encode())
    assert change.extra["merged_into"] == "12"
    assert change.warnings == ["Pipedrive merged deal 9 into 12"]


def test_unknown_action_is_refused_422_naming_it():
    event = json.loads(payload("pipedrive_v2_deal_create.json"))
    event["meta"]["action"] = "archive"
    with pytest.raises(InboundError) as refused:
        translate(json.dumps(event).encode())
    assert refused.value.status == 422
    assert "'archive'" in refused.value.message


def _with(meta=None, **top):
    event = json.loads(payload("pipedrive_v2_deal_create.json"))
    event["meta"].update(meta or {})
    event.update(top)
    return json.dumps(event).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "body is empty"),
        (b"[1, 2]", "body must be a JSON object"),
        (b'{"meta": 1}', "meta must be a JSON object"),
        (_with({"action": None}), "meta.action must be"),
        (_with({"entity": ""}), "meta.entity must be"),
        (_with({"id": None}), "meta.id must be"),
        (_with({"entity_id": None}), "meta.entity_id must be"),
        (_with({"timestamp": "yesterday"}), "meta.timestamp is not an ISO 8601 timestamp"),
        (_with(data=None), "data must be a JSON object"),
        (_with(previous=[1]), "previous must be a JSON object"),
        (
            json.dumps(
                {"v": 1, "current": {}, "meta": {"action": "added", "object": "deal"}}
            ).encode(),
            "webhooks v1 bodies are not accepted",
        ),
    ],
)
def test_malformed_bodies_are_refused_400_saying_what_is_wrong(body, message):
    with pytest.raises(InboundError) as refused:
        translate(body)
    assert refused.value.status == 400
    assert message in refused.value.message


def test_a_nested_owner_with_an_email_resolves_by_email():
    event = json.loads(payload("pipedrive_v2_deal_create.json"))
    event["data"]["owner_id"] = {"id": 12415231, "name": "Mari Kask", "email": "mari@example.ee"}
    (change,) = translate(json.dumps(event).encode())
    assert change.owner_email == "mari@example.ee"
    assert change.extra["owner_external_id"] == "12415231"
