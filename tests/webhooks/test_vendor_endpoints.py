"""Each vendor endpoint checks that vendor's credentials, stores, dedupes and applies events.

Payloads come from tests/fixtures/vendors (their sources are named in its README.md); the
adapters' own translation is tested in tests/webhooks/vendors.
"""

import base64
import hashlib
import hmac
import time
from pathlib import Path

from feedserver.models import InboundMessage
from feedserver.webhooks.vendors import salesforce_outbound
from tests.conftest import table_count
from tests.integrations.support import create_integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "vendors"


def _fixture(name) -> bytes:
    return (FIXTURES / name).read_bytes()


def _basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _pipedrive_org_create(org_id="1", owner_id=12415231):
    return {
        "meta": {
            "action": "create",
            "entity": "organization",
            "entity_id": org_id,
            "id": f"org-create-{org_id}",
            "timestamp": "2024-05-06T07:00:00.000Z",
            "user_id": str(owner_id),
            "version": "2.0",
        },
        "data": {"id": int(org_id), "name": "Sample Org", "owner_id": owner_id},
        "previous": None,
    }


def test_pipedrive_with_basic_auth_applies_deal_and_dedupes_redelivery(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    make.follow(fan, rep)
    pd = create_integration(
        api_as,
        admin,
        name="Pipedrive",
        vendor="pipedrive",
        credentials={"basic_username": "pd", "basic_password": "s3cret"},
        user_map={"12415231": rep.email},
    )
    url = f"/api/v1/webhooks/pipedrive/{pd.id}"
    auth = {"Authorization": _basic("pd", "s3cret")}
    deal = _fixture("pipedrive_v2_deal_create.json")

    wrong = client.post(url, data=deal, headers={"Authorization": _basic("pd", "nope")})
    assert wrong.status_code == 401
    assert table_count(client.application, InboundMessage) == 0

    org = client.post(url, json=_pipedrive_org_create(), headers=auth)
    assert org.status_code == 200, org.json
    assert org.json["events"][0]["status"] == "processed", org.json
    created = client.post(url, data=deal, headers=auth)
    assert created.status_code == 200
    event = created.json["events"][0]
    assert event["status"] == "processed", event
    item = api_as(fan).get("/feed/home").json["items"][0]
    assert item["object"]["type"] == "opportunity"
    assert item["actor"]["name"] == "Raj Patel"

    again = client.post(url, data=deal, headers=auth)
    assert again.json["events"][0]["duplicate"] is True
    assert len(api_as(fan).get("/feed/home").json["items"]) == 2


def test_pipedrive_without_basic_auth_takes_the_integration_token(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    pd = create_integration(api_as, admin, name="Pipedrive", vendor="pipedrive")
    other = create_integration(api_as, admin, name="Other PD", vendor="pipedrive")
    url = f"/api/v1/webhooks/pipedrive/{pd.id}"
    body = _pipedrive_org_create()
    assert client.post(url, json=body).status_code == 401
    foreign = client.post(url, json=body, headers={"Authorization": f"Bearer {other.token}"})
    assert foreign.status_code == 401
    ok = client.post(url, json=body, headers={"Authorization": f"Bearer {pd.token}"})
    assert ok.status_code == 200, ok.json


def test_unmapped_vendor_owner_fails_with_a_clear_error_and_replays_after_mapping(
    make, api_as, client
):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    pd = create_integration(api_as, admin, name="Pipedrive", vendor="pipedrive")
    url = f"/api/v1/webhooks/pipedrive/{pd.id}"
    auth = {"Authorization": f"Bearer {pd.token}"}
    event = client.post(url, json=_pipedrive_org_create(), headers=auth).json["events"][0]
    assert event["status"] == "failed"
    assert "12415231" in event["error"] and "user_map" in event["error"]

    api_as(admin).patch(f"/integrations/{pd.id}", json={"user_map": {"12415231": rep.email}})
    replayed = api_as(admin).post(f"/webhooks/events/{event['id']}/replay").json
    assert replayed["status"] == "processed"


def test_salesforce_outbound_message_is_acked_and_org_checked(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    sf = create_integration(
        api_as,
        admin,
        name="Salesforce",
        vendor="salesforce",
        credentials={"organization_ids": ["00DSM000000AbCdEFG"]},
        user_map={},
    )
    body = _fixture("salesforce_outbound_message_two_opportunities.xml")
    url = f"/api/v1/webhooks/salesforce/outbound/{sf.id}"
    response = client.post(url, data=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200
    assert response.content_type.startswith("text/xml")
    assert response.data == salesforce_outbound.ack_response()
    assert table_count(client.application, InboundMessage) == 1

    other_org = _fixture("salesforce_outbound_message_account_captured.xml")
    refused = client.post(url, data=other_org, headers={"Content-Type": "text/xml"})
    assert refused.status_code == 401
    assert table_count(client.application, InboundMessage) == 1


def test_salesforce_cdc_takes_the_bridge_token_and_records_gaps_for_admins(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    sf = create_integration(api_as, admin, name="Salesforce", vendor="salesforce")
    url = "/api/v1/webhooks/salesforce/cdc"
    gap = _fixture("salesforce_cdc_account_gap_create_pubsub.json")
    assert client.post(url, data=gap, content_type="application/json").status_code == 401

    response = client.post(
        url,
        data=gap,
        content_type="application/json",
        headers={"Authorization": f"Bearer {sf.token}"},
    )
    assert response.status_code == 200, response.json
    assert [e["status"] for e in response.json["events"]] == ["ignored"]
    ignored = api_as(admin).get("/webhooks/events?status=ignored").json["items"]
    assert ignored[0]["type"] == "gap"

    create = _fixture("salesforce_cdc_opportunity_create_pubsub_payload.json")
    made = client.post(
        url,
        data=create,
        content_type="application/json",
        headers={"Authorization": f"Bearer {sf.token}"},
    )
    assert made.status_code == 200
    assert made.json["events"][0]["type"] == "record.created"


def _hubspot_v3(secret, url, body: bytes):
    stamp = str(int(time.time() * 1000))
    message = b"POST" + url.encode() + body + stamp.encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return {
        "X-HubSpot-Signature-v3": base64.b64encode(digest).decode(),
        "X-HubSpot-Request-Timestamp": stamp,
        "Content-Type": "application/json",
    }


def test_hubspot_signature_v3_is_checked_with_the_client_secret(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    hub = create_integration(
        api_as, admin, name="HubSpot", vendor="hubspot", credentials={"client_secrets": ["cs-1"]}
    )
    path = f"/api/v1/webhooks/hubspot/{hub.id}"
    body = _fixture("hubspot_webhook_batch_deal_company_eventtype.json")
    forged = client.post(
        path, data=body, headers=_hubspot_v3("wrong", "http://localhost" + path, body)
    )
    assert forged.status_code == 401

    response = client.post(
        path, data=body, headers=_hubspot_v3("cs-1", "http://localhost" + path, body)
    )
    assert response.status_code == 200, response.json
    events = response.json["events"]
    assert events and all(e["status"] in ("processed", "failed", "ignored") for e in events)
    assert [e["status"] for e in events] == [
        "processed",
        "processed",
        "processed",
        "processed",
        "failed",
        "processed",
        "ignored",  # deletion of a ticket we never held
    ]
    assert "'73529466' is not in the integration's user_map" in events[4]["error"]
    # An unmapped HubSpot user as the actor: the integration's bot acts, and says so.
    assert any("1234567" in note for note in events[1]["result"]["notes"])
    deal = api_as(admin).get(f"/records/{events[0]['result']['record_id']}").json
    assert (deal["type"], deal["source"], deal["external_id"]) == ("opportunity", "hubspot", "9001")
    assert deal["fields"]["stage"] == "closedwon"


def test_unmapped_vendor_object_fails_and_replays_once_the_mapping_names_it(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    pd = create_integration(
        api_as,
        admin,
        name="Pipedrive",
        vendor="pipedrive",
        mapping={"objects": {"organization": None}},
        user_map={"12415231": rep.email},
    )
    url = f"/api/v1/webhooks/pipedrive/{pd.id}"
    auth = {"Authorization": f"Bearer {pd.token}"}
    event = client.post(url, json=_pipedrive_org_create(), headers=auth).json["events"][0]
    assert event["status"] == "failed"
    assert event["error"].startswith("no record type for this event")
    assert event["record_type"] is None

    api_as(admin).patch(f"/integrations/{pd.id}", json={"mapping": {}})
    replayed = api_as(admin).post(f"/webhooks/events/{event['id']}/replay").json
    assert (replayed["status"], replayed["record_type"]) == ("processed", "account")
