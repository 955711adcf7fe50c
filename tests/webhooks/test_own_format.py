"""Other systems push record changes in our own format; followers see the right diffs."""

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from feedserver.extensions import db
from feedserver.feed import publish
from feedserver.models import FeedItem, InboundEvent, InboundMessage
from tests.conftest import failing_once, table_count
from tests.integrations.support import (
    EVENTS_URL,
    create_integration,
    record_event,
    record_ref,
    send_signed,
    send_with_token,
    signed_headers,
)

# From standard-webhooks/libraries python tests (test_sign_function); see the file's _note.
VECTOR = Path(__file__).parents[1] / "fixtures" / "standardwebhooks_signature_test_vector.json"


def _home(api):
    response = api.get("/feed/home")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_signed_update_reaches_follower_with_diff_from_stored_state(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin)
    created = send_signed(
        client,
        erp,
        {
            "events": [
                record_event(
                    "record.created", "account", "ACC-1", name="Acme Corp", owner=rep.email
                ),
                record_event(
                    "record.created",
                    "opportunity",
                    "OPP-1",
                    name="Acme renewal",
                    owner=rep.email,
                    account="ACC-1",
                    fields={"stage": "Negotiation", "amount": 120000},
                ),
            ]
        },
    )
    assert created.status_code == 202, created.json
    assert [e["status"] for e in created.json["events"]] == ["processed", "processed"]
    deal_id = created.json["events"][1]["result"]["record_id"]
    make.follow(fan, record_ref(deal_id))

    # A CRM sends only the new value; the old one comes from what we stored.
    updated = send_signed(
        client,
        erp,
        record_event(
            "record.updated",
            "opportunity",
            "OPP-1",
            actor=rep.email,
            fields={"stage": "Closed Won"},
        ),
    )
    assert updated.status_code == 202, updated.json
    assert updated.json["events"][0]["result"]["created"] is False

    item = _home(api_as(fan))[0]
    assert item["changes"] == [{"field": "stage", "old": "Negotiation", "new": "Closed Won"}]
    assert item["actor"]["name"] == "Raj Patel"
    assert item["summary"] == (
        "Raj Patel updated opportunity Acme renewal: stage Negotiation → Closed Won"
    )
    assert make.get_record(deal_id).fields == {"stage": "Closed Won", "amount": 120000}


def test_bearer_token_works_and_without_actor_the_bot_acts(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin, name="Billing")
    response = send_with_token(
        client, erp, record_event("record.created", "account", "A-9", name="Globex")
    )
    assert response.status_code == 202, response.json
    account_id = response.json["events"][0]["result"]["record_id"]
    make.follow(fan, record_ref(account_id))
    send_with_token(
        client, erp, record_event("record.updated", "account", "A-9", fields={"tier": "Gold"})
    )
    item = _home(api_as(fan))[0]
    assert item["actor"]["name"] == "Billing (integration)"
    assert item["source"] == "feedserver"


def test_standard_webhooks_vector_signs_as_documented_and_is_too_old_to_accept(
    make, api_as, client
):
    vector = json.loads(VECTOR.read_text())
    headers = vector["headers"]
    signed_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    signature = Webhook(vector["secret"]).sign(headers["webhook-id"], signed_at, vector["body"])
    assert signature == headers["webhook-signature"]

    admin = make.user("admin@example.com", admin=True)
    create_integration(api_as, admin)
    response = client.post(EVENTS_URL, data=vector["body"], headers=headers)
    assert response.status_code == 401
    assert table_count(client.application, InboundMessage) == 0


def test_bad_signature_is_refused_and_nothing_is_stored(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    body = json.dumps(record_event("record.created", "account", "A-1", name="Acme")).encode()
    headers = signed_headers("whsec_" + "A" * 43, body)
    assert client.post(EVENTS_URL, data=body, headers=headers).status_code == 401
    tampered = signed_headers(erp.secret, body)
    response = client.post(EVENTS_URL, data=body + b" ", headers=tampered)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert client.post(EVENTS_URL, data=body).status_code == 401
    assert table_count(client.application, InboundMessage) == 0


def test_redelivery_with_the_same_webhook_id_creates_nothing(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    event = record_event("record.created", "account", "A-1", name="Acme")
    first = send_signed(client, erp, event, msg_id="msg_1")
    again = send_signed(client, erp, event, msg_id="msg_1")
    assert first.status_code == 202
    assert again.status_code == 200
    assert again.json["duplicate"] is True
    assert again.json["events"][0]["id"] == first.json["events"][0]["id"]
    assert table_count(client.application, FeedItem) == 1
    assert table_count(client.application, InboundMessage) == 1


def test_idempotency_key_deduplicates_across_requests(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    event = record_event("record.created", "account", "A-1", name="Acme", idempotency_key="k-1")
    send_with_token(client, erp, event)
    event["record"]["name"] = "Acme Renamed"
    again = send_with_token(client, erp, event)
    assert again.status_code == 202
    assert again.json["events"][0]["duplicate"] is True
    assert table_count(client.application, FeedItem) == 1


def test_partly_bad_batch_is_reported_item_by_item_and_failed_events_replay(
    make, api_as, client, app
):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    batch = [
        record_event("record.created", "account", "A-1", name="Acme"),
        record_event("record.created", "account", "A-2", name="Globex", owner="new@example.com"),
        record_event("record.created", "gadget", "G-1", name="Widget"),
    ]
    response = send_with_token(client, erp, batch)
    assert response.status_code == 202, response.json
    events = response.json["events"]
    assert [e["status"] for e in events] == ["processed", "failed", "failed"]
    assert "no active user with email new@example.com" in events[1]["error"]
    assert "unknown record type 'gadget'" in events[2]["error"]

    failed = api_as(admin).get("/webhooks/events?status=failed").json["items"]
    assert sorted(e["id"] for e in failed) == sorted([events[1]["id"], events[2]["id"]])
    assert api_as(make.user("rep@example.com")).get("/webhooks/events").status_code == 403

    detail = api_as(admin).get(f"/webhooks/events/{events[1]['id']}").json
    assert json.loads(detail["message"]["body"])[1]["record"]["name"] == "Globex"
    assert "authorization" not in detail["message"]["headers"]

    make.user("new@example.com", "Nina New")
    replayed = api_as(admin).post(f"/webhooks/events/{events[1]['id']}/replay")
    assert replayed.status_code == 200, replayed.json
    assert replayed.json["status"] == "processed"
    assert replayed.json["attempts"] == 2
    assert api_as(admin).post(f"/webhooks/events/{events[1]['id']}/replay").status_code == 409

    result = app.test_cli_runner().invoke(args=["webhooks", "replay", str(events[2]["id"])])
    assert result.exit_code == 1
    assert "unknown record type 'gadget'" in result.output


def test_raw_request_is_kept_when_processing_fails(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    event = record_event("record.updated", "opportunity", "O-1", account="NOPE", name="Deal")
    response = send_with_token(client, erp, event)
    assert response.json["events"][0]["status"] == "failed"
    with app.app_context():
        message = db.session.scalar(sa.select(InboundMessage))
        assert json.loads(message.body) == event
        stored = db.session.scalar(sa.select(InboundEvent))
        assert "no account with external id 'NOPE'" in stored.error
    assert table_count(app, FeedItem) == 0


def _account_acme_with_a_fan(make, api_as, client):
    """(admin, follower, integration ERP, id of the account A-1 "Acme" that ERP created)."""
    admin = make.user("admin@example.com", admin=True)
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin)
    created = send_with_token(
        client, erp, record_event("record.created", "account", "A-1", name="Acme")
    )
    account_id = created.json["events"][0]["result"]["record_id"]
    make.follow(fan, record_ref(account_id))
    return admin, fan, erp, account_id


def test_an_event_that_breaks_midway_leaves_none_of_its_work_and_the_next_counts(
    make, api_as, client, app, monkeypatch
):
    admin, fan, erp, account_id = _account_acme_with_a_fan(make, api_as, client)

    # A bug after the record was changed and its item written and queued for the followers.
    real = publish.enqueue_for_item

    def broken(item):
        raise RuntimeError("a bug after the item was written")

    monkeypatch.setattr(publish, "enqueue_for_item", broken)
    renamed = record_event("record.updated", "account", "A-1", name="Acme Corp")
    response = send_with_token(client, erp, renamed)
    assert response.status_code == 202, response.json
    event = response.json["events"][0]
    assert event["status"] == "failed"
    assert "internal error (RuntimeError)" in event["error"]
    assert make.get_record(account_id).name == "Acme"
    assert _home(api_as(fan)) == []
    with app.app_context():
        message = db.session.get(InboundEvent, event["id"]).message
        assert json.loads(message.body) == renamed and message.status == "processed"

    # Mended, the replay applies it, and the follower's inbox starts at its first seq.
    monkeypatch.setattr(publish, "enqueue_for_item", real)
    replayed = api_as(admin).post(f"/webhooks/events/{event['id']}/replay")
    assert replayed.status_code == 200, replayed.json
    assert replayed.json["attempts"] == 2
    assert make.get_record(account_id).name == "Acme Corp"
    assert [(i["seq"], i["summary"]) for i in _home(api_as(fan))] == [
        (1, "ERP (integration) updated account Acme Corp: name Acme → Acme Corp")
    ]


def test_an_event_whose_first_try_fails_once_is_applied_and_the_failure_logged(
    make, api_as, client, app, monkeypatch, caplog
):
    _, fan, erp, account_id = _account_acme_with_a_fan(make, api_as, client)

    # A passing fault (a lost connection, a deadlock): the first try fails, the next succeeds.
    once_broken = failing_once(publish.enqueue_for_item, RuntimeError("connection reset"))
    monkeypatch.setattr(publish, "enqueue_for_item", once_broken)
    renamed = record_event("record.updated", "account", "A-1", name="Acme Corp")
    with caplog.at_level("WARNING", logger="feedserver.webhooks.pipeline"):
        response = send_with_token(client, erp, renamed)
    assert response.status_code == 202, response.json
    event = response.json["events"][0]
    assert event["status"] == "processed" and event["error"] is None
    assert make.get_record(account_id).name == "Acme Corp"
    assert [i["seq"] for i in _home(api_as(fan))] == [1]
    (warning,) = [r for r in caplog.records if "failed on its first try" in r.getMessage()]
    assert "connection reset" in str(warning.exc_info[1])


def test_raw_request_is_kept_when_its_translation_breaks(make, api_as, client, app, monkeypatch):
    import pytest

    from feedserver.api import webhooks

    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)

    def broken(endpoint):
        def translate(request, integration, key):
            raise RuntimeError("a bug in an adapter")

        return translate

    monkeypatch.setattr(webhooks, "translator", broken)
    event = record_event("record.updated", "opportunity", "O-1", name="Deal")
    with pytest.raises(RuntimeError):  # the test app lets errors through; a server answers 500
        send_with_token(client, erp, event)
    with app.app_context():
        message = db.session.scalar(sa.select(InboundMessage))
        assert json.loads(message.body) == event
        assert message.status == "received"


def test_malformed_unknown_and_oversized_bodies_get_clear_errors(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    auth = {"Authorization": f"Bearer {erp.token}", "Content-Type": "application/json"}

    bad_json = client.post(EVENTS_URL, data=b"{not json", headers=auth)
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.json["error"]["message"]

    unknown = send_with_token(client, erp, [{"type": "deal.exploded"}])
    assert unknown.status_code == 422
    assert "'deal.exploded'" in unknown.json["error"]["message"]
    assert "events[0].type" in unknown.json["error"]["fields"]

    missing = send_with_token(client, erp, {"type": "record.updated", "record": {"type": "x"}})
    assert missing.status_code == 422
    assert "events[0].record.external_id" in missing.json["error"]["fields"]

    too_many = [record_event("record.created", "account", f"A-{n}", name="A") for n in range(501)]
    over = send_with_token(client, erp, too_many)
    assert over.status_code == 413
    assert "at most 500 events" in over.json["error"]["message"]

    app.config["WEBHOOK_MAX_BYTES"] = 100
    try:
        big = client.post(EVENTS_URL, data=b"[" + b" " * 200 + b"]", headers=auth)
    finally:
        app.config["WEBHOOK_MAX_BYTES"] = 2 * 1024 * 1024
    assert big.status_code == 413
    assert table_count(app, FeedItem) == 0


def test_integration_over_its_rate_limit_gets_429_with_retry_after(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin, name="Chatty", rate_limit="2/minute")
    other = create_integration(api_as, admin, name="Quiet")
    for n in range(2):
        event = record_event("record.created", "account", f"A-{n}", name=f"Acme {n}")
        assert send_with_token(client, erp, event).status_code == 202
    limited = send_with_token(
        client, erp, record_event("record.created", "account", "A-3", name="X")
    )
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json["error"]["code"] == "rate_limited"
    quiet = send_with_token(client, other, record_event("record.created", "account", "B", name="B"))
    assert quiet.status_code == 202
