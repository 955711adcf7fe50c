"""Salesforce Change Data Capture events, as a bridge forwards them, become our changes."""

import json

import pytest

from feedserver.records.changes import UNSET
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.vendors import salesforce_cdc
from feedserver.webhooks.vendors.mapping import mapping_from_config
from tests.webhooks.vendors.payloads import at, inbound, payload

MAPPING = mapping_from_config("salesforce", None)


def translate(name_or_body: str | bytes, mapping=MAPPING) -> list[InboundChange]:
    body = payload(name_or_body) if isinstance(name_or_body, str) else name_or_body
    return salesforce_cdc.translate(inbound(body), mapping)


def test_source_is_salesforce():
    assert salesforce_cdc.SOURCE == "salesforce"


def test_pubsub_opportunity_create_takes_mapped_non_null_fields():
    assert translate("salesforce_cdc_opportunity_create_pubsub_payload.json") == [
        InboundChange(
            kind="record.created",
            record_type="opportunity",
            external_id="006SM0000001Tb3YAE",
            dedupe_key="00000466-3d4f-bbe3-9c2b-5ab0fb45cc02:1:006SM0000001Tb3YAE",
            name="Acme - 400 Widgets",
            account_external_id="001SM0000000iibYAA",
            fields={
                "stage": "Prospecting",
                "amount": 40000,
                "probability": 10,
                "close_date": "2022-05-31",  # Pub/Sub sends the date as epoch ms
            },
            occurred_at=at("2022-05-19T16:32:13+00:00"),
            extra={
                "entity_name": "Opportunity",
                "change_type": "CREATE",
                "commit_number": "1652977933433528300",
                "change_origin": "com/salesforce/api/soap/55.0;client=SfdcInternalAPI/",
                "actor_external_id": "005SM000000146PYAQ",
                "owner_external_id": "005SM000000146PYAQ",
            },
        )
    ]


def test_owner_id_is_never_taken_for_an_email():
    (change,) = translate("salesforce_cdc_opportunity_create_pubsub_payload.json")
    assert change.owner_email is UNSET
    assert change.actor_email is None


def test_commit_number_beyond_two_to_the_53_stays_exact():
    (change,) = translate("salesforce_cdc_contact_update_pubsub_decoded.json")
    assert change.extra["commit_number"] == "9007199254740993123"
    assert int(change.extra["commit_number"]) != int(float(9007199254740993123))


def test_cometd_update_with_enriched_fields_takes_only_changed_fields():
    # Fax and LastModifiedDate changed; Industry and External_Account_ID__c are enrichment.
    assert translate("salesforce_cdc_account_update_enriched_cometd.json") == [
        InboundChange(
            kind="record.updated",
            record_type="account",
            external_id="001RM000004UF9sYAG",
            dedupe_key="0005e192-9e62-2554-3880-3c3718bd6308:1:001RM000004UF9sYAG",
            fields={},
            occurred_at=at("2020-12-15T23:09:18+00:00"),
            extra={
                "entity_name": "Account",
                "change_type": "UPDATE",
                "commit_number": "74487681550",
                "change_origin": "com/salesforce/api/soap/51.0;client=SfdcInternalAPI/",
                "replay_id": "12",
                "actor_external_id": "005RM000001hv4SYAQ",
            },
        )
    ]


def test_enriched_update_passes_changed_unmapped_fields_through_when_asked():
    mapping = mapping_from_config("salesforce", {"pass_through_unmapped": True})
    (change,) = translate("salesforce_cdc_account_update_enriched_cometd.json", mapping)
    assert change.fields == {"Fax": "4155551212", "LastModifiedDate": "2020-12-15T23:09:18.000Z"}


def test_cometd_message_update_without_changed_fields_takes_every_body_field():
    (change,) = translate("salesforce_cdc_opportunity_update_cometd.json")
    assert change.kind == "record.updated"
    assert change.external_id == "006SM0000001Tb3YAE"
    assert change.fields == {
        "stage": "Closed Won",
        "amount": 52000.5,
        "close_date": "2022-06-30",
        "next_step": None,  # set to null in Salesforce: cleared here
    }
    assert change.extra["replay_id"] == "4047"
    assert change.extra["commit_number"] == "1652978000176228863"
    assert change.dedupe_key == "0002343d-9d90-e395-ed20-cf416ba652ad:1:006SM0000001Tb3YAE"


def test_pubsub_update_uses_decoded_changed_and_nulled_fields():
    (change,) = translate("salesforce_cdc_contact_update_pubsub_decoded.json")
    assert change.kind == "record.updated"
    assert change.record_type == "contact"
    assert change.fields == {"title": "VP Sales", "phone": None}
    # Unchanged fields are null in a Pub/Sub body: they must not clear anything.
    assert change.account_external_id is UNSET
    assert "email" not in change.fields
    # Only the last name changed: the full name is unknown, so it is left alone.
    assert change.name is UNSET
    assert change.warnings == [
        "Salesforce sent part of the compound Name only: fetch the full name"
    ]


def test_delete_carries_no_fields_even_with_enriched_ones():
    assert translate("salesforce_cdc_account_delete_enriched_cometd.json") == [
        InboundChange(
            kind="record.deleted",
            record_type="account",
            external_id="001RM000004UF9sYAG",
            dedupe_key="0005e1af-70bd-cce1-59c2-00f45864bbfb:1:001RM000004UF9sYAG",
            occurred_at=at("2020-12-15T23:12:55+00:00"),
            extra={
                "entity_name": "Account",
                "change_type": "DELETE",
                "commit_number": "74488073004",
                "change_origin": "com/salesforce/api/soap/51.0;client=SfdcInternalAPI/",
                "replay_id": "13",
                "actor_external_id": "005RM000001hv4SYAQ",
            },
        )
    ]


def test_undelete_restores_the_record_with_its_fields():
    (change,) = translate("salesforce_cdc_opportunity_undelete_cometd.json")
    assert change.kind == "record.undeleted"
    assert change.name == "Acme - 400 Widgets"
    assert change.account_external_id == "001SM0000000iibYAA"
    assert change.fields == {
        "stage": "Prospecting",
        "amount": 40000,
        "close_date": "2022-05-31",
    }
    assert change.extra["owner_external_id"] == "005SM000000146PYAQ"


def test_merged_event_yields_one_change_per_record_id():
    changes = translate("salesforce_cdc_account_merged_update_pubsub.json")
    ids = ["0015f00002JUZPDAA5", "0015f00002JUZPXAA5", "0015f00002JUZPcAAP"]
    assert [change.external_id for change in changes] == ids
    assert [change.dedupe_key for change in changes] == [
        f"00065380-d1a9-a64a-9341-14f6f12f674c:1:{record_id}" for record_id in ids
    ]
    for change in changes:
        assert change.kind == "record.updated"
        assert change.record_type == "account"
        assert change.fields == {"industry": "Apparel"}
        assert change.extra["merged_record_ids"] == ids
        assert change.occurred_at == at("2024-04-26T22:21:42+00:00")
        # The bridge left changedFields as a Pub/Sub bitmap: say what that costs.
        assert change.warnings == [
            "Salesforce UPDATE without changedFields as names: its non-null fields were taken, "
            "and fields set to null could not be told apart"
        ]


def test_gap_create_is_recorded_as_a_gap_without_fields():
    assert translate("salesforce_cdc_account_gap_create_pubsub.json") == [
        InboundChange(
            kind="gap",
            record_type="account",
            external_id="001ZM000001n4n5YAA",
            dedupe_key="000a50de-05dd-07c4-22fb-44b7f9e72ab5:19:001ZM000001n4n5YAA",
            occurred_at=at("2024-04-29T18:58:32+00:00"),
            extra={
                "entity_name": "Account",
                "change_type": "GAP_CREATE",
                "commit_number": "72784468115",
            },
            warnings=[
                "Salesforce sent GAP_CREATE for Account 001ZM000001n4n5YAA: the change itself "
                "was not captured, so no field is applied; fetch the records from Salesforce"
            ],
        )
    ]


def test_gap_update_in_a_full_cometd_message_maps_event_to_visit():
    (change,) = translate("salesforce_cdc_event_gap_update_cometd.json")
    assert change.kind == "gap"
    assert change.record_type == "visit"
    assert change.external_id == "00Uxx000000fvRQEAY"
    assert change.fields == {}
    assert change.extra["replay_id"] == "6"
    assert change.occurred_at == at("2017-11-01T02:08:08.161000+00:00")


def test_overflow_event_names_no_record():
    (change,) = translate("salesforce_cdc_account_gap_overflow_pubsub.json")
    assert change.kind == "gap"
    assert change.record_type == "account"
    assert change.external_id is None
    assert change.fields == {}
    assert change.dedupe_key == "0001f4c5-2e7a-1b48-b12c-b0b8e1d9a7f3:100001:000000000000000AAA"
    assert "GAP_OVERFLOW for Account (no single record)" in change.warnings[0]


@pytest.mark.parametrize("change_type", ["GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE"])
def test_every_gap_type_is_a_gap(change_type):
    event = json.loads(payload("salesforce_cdc_account_gap_create_pubsub.json"))
    event["ChangeEventHeader"]["changeType"] = change_type
    (change,) = translate(json.dumps(event).encode())
    assert change.kind == "gap"
    assert change.fields == {}
    assert change_type in change.warnings[0]


def test_wildcard_record_ids_from_a_lossy_conversion_are_a_gap():
    event = json.loads(payload("salesforce_cdc_account_gap_create_pubsub.json"))
    event["ChangeEventHeader"].update(changeType="UPDATE", recordIds=["001*"])
    (change,) = translate(json.dumps(event).encode())
    assert change.kind == "gap"
    assert change.external_id is None
    assert change.extra["record_id_prefix"] == "001"


def test_batch_of_cometd_messages_logs_a_visit_and_flags_the_unmapped_task():
    visit, task = translate("salesforce_cdc_event_and_task_create_cometd_batch.json")
    assert visit == InboundChange(
        kind="visit.logged",
        record_type="visit",
        external_id="00USM000002kLmNYAU",
        dedupe_key="0004b2a1-33c0-4d7e-9e55-1c2b3a4d5e6f:1:00USM000002kLmNYAU",
        account_external_id="001SM0000000iibYAA",
        fields={
            "purpose": "Quarterly business review",
            "check_in_at": "2024-04-30T07:00:00.000Z",
            "check_out_at": "2024-04-30T08:30:00.000Z",
        },
        body="Met the buying committee; next step is a pilot.",
        occurred_at=at("2024-04-30T07:00:00+00:00"),
        extra={
            "entity_name": "Event",
            "change_type": "CREATE",
            "commit_number": "1714460400987654321",
            "change_origin": "com/salesforce/api/rest/60.0;client=mobile",
            "replay_id": "88",
            "actor_external_id": "005SM00000099XYYAQ",
            "contact_external_ids": ["003SM000001bCdEYAU"],
            "owner_external_id": "005SM00000099XYYAQ",
            "visited_at": at("2024-04-30T07:00:00+00:00"),  # the meeting's start
        },
    )
    assert task.kind == "record.created"
    assert task.record_type is None
    assert task.external_id == "00TSM000003aBcDYAU"
    assert task.dedupe_key == "0004b2a1-33c0-4d7e-9e55-1c2b3a4d5e6f:2:00TSM000003aBcDYAU"
    assert task.fields == {}
    assert task.warnings == [
        "Salesforce object 'Task' has no mapping to a Feedserver record type; "
        "add one to the integration's mapping and replay this event"
    ]


def test_the_same_event_redelivered_gets_the_same_dedupe_key():
    first = translate("salesforce_cdc_opportunity_update_cometd.json")
    again = translate("salesforce_cdc_opportunity_update_cometd.json")
    assert [c.dedupe_key for c in first] == [c.dedupe_key for c in again]


def test_mapping_override_maps_task_and_renames_a_field():
    mapping = mapping_from_config(
        "salesforce",
        {
            "objects": {"Task": "case"},
            "fields": {"Task": {"Subject": "subject", "Status": "status"}},
        },
    )
    _, task = translate("salesforce_cdc_event_and_task_create_cometd_batch.json", mapping)
    assert task.record_type == "case"
    assert task.fields == {"subject": "Send pilot proposal", "status": "Not Started"}
    assert task.warnings == []


def test_authenticate_leaves_the_bridge_token_to_the_pipeline():
    request = inbound(payload("salesforce_cdc_opportunity_create_pubsub_payload.json"))
    assert salesforce_cdc.authenticate(request, {}) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "body is empty"),
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe", "is not UTF-8"),
        (b"[]", "empty array"),
        (b'{"Name": "x"}', "is not a Salesforce change event"),
        (b'{"ChangeEventHeader": []}', "body.ChangeEventHeader must be a JSON object"),
        (b'{"ChangeEventHeader": {"changeType": "CREATE"}}', "entityName must be a non-empty"),
        (
            b'{"payload": {"ChangeEventHeader": {"entityName": "Account", "changeType": "CREATE",'
            b' "recordIds": "001", "transactionKey": "t", "sequenceNumber": 1,'
            b' "commitTimestamp": 1}}}',
            "recordIds must be an array of record ids",
        ),
        (
            b'{"payload": {"ChangeEventHeader": {"entityName": "Account", "changeType": "CREATE",'
            b' "recordIds": ["001"], "transactionKey": "t", "sequenceNumber": 1.5,'
            b' "commitTimestamp": 1}}}',
            "sequenceNumber must be an integer",
        ),
        (
            b'{"payload": {"ChangeEventHeader": {"entityName": "Account", "changeType": "CREATE",'
            b' "recordIds": ["001"], "transactionKey": "t", "sequenceNumber": 1,'
            b' "commitTimestamp": "yesterday"}}}',
            "commitTimestamp must be epoch milliseconds",
        ),
        (
            b'{"ChangeEventHeader": {"entityName": "Account", "changeType": "CREATE",'
            b' "recordIds": ["001"], "transactionKey": "t", "sequenceNumber": 1,'
            b' "commitTimestamp": NaN}}',
            "is not valid JSON",
        ),
    ],
)
def test_malformed_bodies_are_refused_with_400_saying_what_is_wrong(body, message):
    with pytest.raises(InboundError) as refused:
        translate(body)
    assert refused.value.status == 400
    assert message in refused.value.message


def test_unknown_change_type_is_refused_with_422_naming_it():
    event = json.loads(payload("salesforce_cdc_account_gap_create_pubsub.json"))
    event["ChangeEventHeader"]["changeType"] = "TRUNCATE"
    with pytest.raises(InboundError) as refused:
        translate(json.dumps(event).encode())
    assert refused.value.status == 422
    assert "'TRUNCATE'" in refused.value.message


def test_pubsub_payload_in_a_payload_wrapper_never_clears_unchanged_fields():
    # A bridge may wrap a decoded Pub/Sub event like a CometD one; its nulls are "unchanged".
    event = json.loads(payload("salesforce_cdc_account_merged_update_pubsub.json"))
    (first, *_) = translate(json.dumps({"payload": event, "replayId": "AAAA"}).encode())
    assert first.fields == {"industry": "Apparel"}
    assert first.name is UNSET
