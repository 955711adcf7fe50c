"""HubSpot webhooks: signatures v1/v2/v3 against the documented vectors, event arrays translated."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from feedserver.records.changes import UNSET
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.vendors import hubspot
from feedserver.webhooks.vendors.mapping import mapping_from_config
from tests.webhooks.vendors.payloads import at, inbound, payload

MAPPING = mapping_from_config("hubspot", None)
VECTORS = json.loads(payload("hubspot_signature_test_vectors.json"))
SECRET = VECTORS["client_secret"]


def translate(body: bytes, mapping=MAPPING) -> list[InboundChange]:
    return hubspot.translate(inbound(body), mapping)


def refused_status(request, credentials) -> int:
    with pytest.raises(InboundError) as refused:
        hubspot.authenticate(request, credentials)
    return refused.value.status


# --- signatures -------------------------------------------------------------------------------


def v1_request(signature=VECTORS["v1"]["expected_signature"]):
    headers = {"X-HubSpot-Signature": signature, "X-HubSpot-Signature-Version": "v1"}
    return inbound(VECTORS["v1"]["body"], headers)


def v2_request(vector=VECTORS["v2"]):
    headers = {
        "X-HubSpot-Signature": vector["expected_signature"],
        "X-HubSpot-Signature-Version": "v2",
    }
    return inbound(vector["body"], headers, url=vector["uri"], method=vector["method"])


def v3_request(
    received_at, body=VECTORS["v3"]["body"], signature=VECTORS["v3"]["expected_signature"]
):
    vector = VECTORS["v3"]
    headers = {
        "X-HubSpot-Signature-v3": signature,
        "X-HubSpot-Request-Timestamp": vector["timestamp"],
    }
    return inbound(
        body, headers, url=vector["uri"], method=vector["method"], received_at=received_at
    )


V3_SENT_AT = datetime.fromtimestamp(int(VECTORS["v3"]["timestamp"]) / 1000, tz=UTC)


def test_v1_documented_vector_verifies():
    assert hubspot.authenticate(v1_request(), {"client_secrets": [SECRET]}) is None


def test_v1_with_another_signature_is_refused_401():
    assert refused_status(v1_request("0" * 64), {"client_secrets": [SECRET]}) == 401


def test_v2_documented_post_and_get_vectors_verify():
    credentials = {"client_secrets": [SECRET]}
    assert hubspot.authenticate(v2_request(), credentials) is None
    assert hubspot.authenticate(v2_request(VECTORS["v2"]["get_variant"]), credentials) is None


def test_v2_signed_for_another_uri_is_refused_401():
    vector = dict(VECTORS["v2"], uri="https://www.example.com/other_uri")
    assert refused_status(v2_request(vector), {"client_secrets": [SECRET]}) == 401


def test_v3_documented_vector_verifies_within_five_minutes_of_its_timestamp():
    request = v3_request(received_at=V3_SENT_AT + timedelta(minutes=4, seconds=59))
    assert hubspot.authenticate(request, {"client_secrets": [SECRET]}) is None


def test_v3_documented_vector_is_refused_for_its_age():
    # Its HMAC matches, but its timestamp (1970) is far more than five minutes old.
    request = v3_request(received_at=datetime.now(UTC))
    with pytest.raises(InboundError) as refused:
        hubspot.authenticate(request, {"client_secrets": [SECRET]})
    assert refused.value.status == 401
    assert "more than 5 minutes" in refused.value.message


def test_v3_just_over_five_minutes_old_is_refused():
    request = v3_request(received_at=V3_SENT_AT + timedelta(minutes=5, milliseconds=1))
    assert refused_status(request, {"client_secrets": [SECRET]}) == 401


def test_v3_with_a_tampered_body_is_refused_401():
    request = v3_request(received_at=V3_SENT_AT, body="{'example_field':'changed'}")
    assert refused_status(request, {"client_secrets": [SECRET]}) == 401


def test_v3_verifies_with_a_previous_secret_during_rotation():
    request = v3_request(received_at=V3_SENT_AT)
    assert hubspot.authenticate(request, {"client_secrets": ["rotated-new", SECRET]}) is None


def test_v3_uri_with_url_encoded_characters_verifies_as_hubspot_signs_it():
    # HubSpot decodes characters such as %3A and %40 in the URI before signing.
    url = "https://feeds.example.com/hooks/hubspot?team=sales%40emea&at=10%3A00"
    signed_uri = "https://feeds.example.com/hooks/hubspot?team=sales@emea&at=10:00"
    stamp = str(int(datetime(2024, 5, 6, 12, 0, tzinfo=UTC).timestamp() * 1000))
    body = payload("hubspot_webhook_batch_contact_propertychange_and_creation.json")
    digest = hmac.new(
        SECRET.encode(), b"POST" + signed_uri.encode() + body + stamp.encode(), hashlib.sha256
    ).digest()
    headers = {
        "x-hubspot-signature-v3": base64.b64encode(digest).decode(),
        "x-hubspot-request-timestamp": stamp,
    }
    request = inbound(body, headers, url=url)
    assert hubspot.authenticate(request, {"client_secrets": [SECRET]}) is None


def test_older_signatures_are_refused_when_the_integration_accepts_only_v3():
    credentials = {"client_secrets": [SECRET], "signature_versions": ["v3"]}
    assert refused_status(v1_request(), credentials) == 401
    assert refused_status(v2_request(), credentials) == 401


@pytest.mark.parametrize(
    ("headers", "credentials"),
    [
        ({}, {"client_secrets": [SECRET]}),
        ({"X-HubSpot-Signature-v3": "abc"}, {"client_secrets": [SECRET]}),
        (
            {"X-HubSpot-Signature-v3": "abc", "X-HubSpot-Request-Timestamp": "soon"},
            {"client_secrets": [SECRET]},
        ),
        (
            {"X-HubSpot-Signature": "abc", "X-HubSpot-Signature-Version": "v9"},
            {"client_secrets": [SECRET]},
        ),
        ({"X-HubSpot-Signature": VECTORS["v1"]["expected_signature"]}, {"client_secrets": []}),
        ({"X-HubSpot-Signature": VECTORS["v1"]["expected_signature"]}, {}),
    ],
)
def test_missing_or_unusable_signature_or_secret_is_refused_401(headers, credentials):
    assert refused_status(inbound(VECTORS["v1"]["body"], headers), credentials) == 401


# --- translation ------------------------------------------------------------------------------


def test_documented_contact_batch_becomes_an_update_and_a_creation():
    body = payload("hubspot_webhook_batch_contact_propertychange_and_creation.json")
    assert translate(body) == [
        InboundChange(
            kind="record.updated",
            record_type="contact",
            external_id="1246965",
            dedupe_key="33:25:3816279340:1246965:lifecyclestage",
            fields={},  # lifecyclestage is not mapped by default
            occurred_at=at("2016-05-02T19:11:47.945000+00:00"),
            extra={"event_type": "contact.propertyChange", "change_source": "ACADEMY"},
        ),
        InboundChange(
            kind="record.created",
            record_type="contact",
            external_id="1246978",
            dedupe_key="33:22:3816279480:1246978",
            occurred_at=at("2016-05-02T19:11:47.945000+00:00"),
            extra={"event_type": "contact.creation", "change_source": "IMPORT"},
        ),
    ]


def test_unmapped_property_passes_through_when_asked():
    mapping = mapping_from_config("hubspot", {"pass_through_unmapped": True})
    body = payload("hubspot_webhook_batch_contact_propertychange_and_creation.json")
    assert translate(body, mapping)[0].fields == {"lifecyclestage": "subscriber"}


def test_older_event_type_rendering_translates_deal_and_company_events():
    changes = translate(payload("hubspot_webhook_batch_deal_company_eventtype.json"))
    assert [(c.kind, c.record_type, c.external_id) for c in changes] == [
        ("record.created", "opportunity", "9001"),
        ("record.updated", "opportunity", "9001"),
        ("record.updated", "opportunity", "9001"),
        ("record.updated", "opportunity", "9001"),
        ("record.updated", "opportunity", "9001"),
        ("record.updated", "account", "5001"),
        ("record.deleted", "case", "7001"),
    ]
    created, stage, amount, close, owner, company, ticket = changes
    assert stage == InboundChange(
        kind="record.updated",
        record_type="opportunity",
        external_id="9001",
        dedupe_key="62515:41:101:9001:dealstage",
        fields={"stage": "closedwon"},
        occurred_at=at("2024-04-30T07:01:00+00:00"),
        extra={
            "event_type": "deal.propertyChange",
            "change_source": "CRM_UI",
            "actor_external_id": "1234567",
        },
    )
    assert amount.fields == {"amount": "180000"}
    # Same eventId, different subscription and property: different dedupe keys.
    assert amount.dedupe_key == "62515:42:101:9001:amount"
    assert close.fields == {"close_date": "2024-06-30"}  # epoch ms string → ISO date
    assert owner.fields == {}
    assert owner.extra["owner_external_id"] == "73529466"
    assert owner.owner_email is UNSET
    assert company.name == "Acme Corporation"
    assert company.fields == {}
    assert ticket.dedupe_key == "62515:46:105:7001"
    assert created.fields == {}


def test_a_retried_event_keeps_its_dedupe_key():
    events = json.loads(payload("hubspot_webhook_batch_deal_company_eventtype.json"))
    first = translate(json.dumps(events[1:2]).encode())
    events[1]["attemptNumber"] = 3
    retried = translate(json.dumps(events[1:2]).encode())
    assert first == retried


def test_merge_restore_association_and_privacy_deletion():
    merged, restored, account_link, privacy = translate(
        payload("hubspot_webhook_batch_merge_restore_association.json")
    )
    assert merged == InboundChange(
        kind="record.deleted",
        record_type="contact",
        external_id="1246978",
        dedupe_key="62515:50:200:1246978",
        occurred_at=at("2024-04-30T07:10:00+00:00"),
        extra={"event_type": "contact.merge", "change_source": "CRM_UI", "merged_into": "1246965"},
        warnings=["HubSpot merged 1246978 into 1246965"],
    )
    assert (restored.kind, restored.record_type, restored.external_id) == (
        "record.undeleted",
        "opportunity",
        "9002",
    )
    assert account_link.kind == "record.updated"
    assert account_link.external_id == "9001"
    assert account_link.account_external_id == "5001"
    assert account_link.dedupe_key == "62515:52:202:9001:DEAL_TO_COMPANY:5001"
    # DEAL_TO_CONTACT is not a link we keep: no change for it.
    assert (privacy.kind, privacy.external_id) == ("record.deleted", "1246999")


def test_removed_company_association_clears_the_account():
    events = json.loads(payload("hubspot_webhook_batch_merge_restore_association.json"))
    events[2]["associationRemoved"] = True
    (change,) = translate(json.dumps(events[2:3]).encode())
    assert change.account_external_id is None


def test_generic_object_events_use_the_object_type_id():
    event = {
        "eventId": 1,
        "subscriptionId": 2,
        "portalId": 3,
        "occurredAt": 1714460400000,
        "subscriptionType": "object.propertyChange",
        "objectTypeId": "0-3",
        "objectId": 9001,
        "propertyName": "dealname",
        "propertyValue": "Acme renewal",
    }
    (change,) = translate(json.dumps([event]).encode())
    assert (change.record_type, change.name) == ("opportunity", "Acme renewal")


def test_unmapped_object_is_kept_with_a_warning():
    event = {
        "eventId": 1,
        "subscriptionId": 2,
        "portalId": 3,
        "occurredAt": 1714460400000,
        "subscriptionType": "line_item.creation",
        "objectId": 77,
    }
    (change,) = translate(json.dumps([event]).encode())
    assert change.record_type is None
    assert change.warnings == [
        "HubSpot object 'line_item' has no mapping to a Feedserver record type; "
        "add one to the integration's mapping and replay this event"
    ]


@pytest.mark.parametrize("event_type", ["contact.exploded", "ping"])
def test_unknown_event_type_is_refused_422_naming_it(event_type):
    event = {"eventId": 1, "subscriptionId": 2, "portalId": 3, "occurredAt": 1, "objectId": 4}
    event["subscriptionType"] = event_type
    with pytest.raises(InboundError) as refused:
        translate(json.dumps([event]).encode())
    assert refused.value.status == 422
    assert repr(event_type) in refused.value.message


GOOD = {
    "eventId": 1,
    "subscriptionId": 2,
    "portalId": 3,
    "occurredAt": 1714460400000,
    "subscriptionType": "deal.creation",
    "objectId": 4,
}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[", "is not valid JSON"),
        (b"[]", "must be a non-empty JSON array"),
        (b'"hello"', "must be a non-empty JSON array"),
        (json.dumps([GOOD] * 101).encode(), "at most 100 events, got 101"),
        (b"[1]", "[0] must be a JSON object"),
        (json.dumps([{**GOOD, "subscriptionType": None}]).encode(), "[0].subscriptionType"),
        (json.dumps([{**GOOD, "eventId": None}]).encode(), "[0].eventId must be"),
        (json.dumps([{**GOOD, "occurredAt": "today"}]).encode(), "[0].occurredAt must be epoch"),
        (json.dumps([{**GOOD, "objectId": None}]).encode(), "[0].objectId must be"),
        (
            json.dumps([{**GOOD, "subscriptionType": "deal.propertyChange"}]).encode(),
            "[0].propertyName must be",
        ),
    ],
)
def test_malformed_bodies_are_refused_400_saying_what_is_wrong(body, message):
    with pytest.raises(InboundError) as refused:
        translate(body)
    assert refused.value.status == 400
    assert message in refused.value.message


def test_a_hundred_events_are_accepted():
    events = [{**GOOD, "eventId": n} for n in range(100)]
    assert len(translate(json.dumps(events).encode())) == 100


def test_an_emptied_property_clears_the_field_and_an_emptied_owner_clears_the_owner():
    events = json.loads(payload("hubspot_webhook_batch_deal_company_eventtype.json"))
    events[2]["propertyValue"] = ""
    events[4]["propertyValue"] = ""
    amount, owner = translate(json.dumps([events[2], events[4]]).encode())
    assert amount.fields == {"amount": None}
    assert owner.extra["owner_external_id"] is None
