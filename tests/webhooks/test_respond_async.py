"""`Prefer: respond-async`: the answer once events are stored, each applied afterwards, once."""

import time

import pytest
import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import FeedItem, InboundEvent, InboundMessage, Record
from feedserver.webhooks import queued
from feedserver.webhooks.queued import draining
from tests.conftest import failing_once, table_count
from tests.integrations.support import (
    EVENTS_URL,
    create_integration,
    record_event,
    record_ref,
    send_signed,
    signed_headers,
)

ASYNC = {"Prefer": "respond-async"}


def _send_async(client, integration, payload, msg_id=None):
    return send_signed(client, integration, payload, msg_id, headers=ASYNC)


def _apply_queued(app):
    result = app.test_cli_runner().invoke(args=["webhooks", "apply-queued"])
    assert result.exit_code == 0, result.output
    return result.output


def _statuses(app):
    with app.app_context():
        return list(db.session.scalars(sa.select(InboundEvent.status).order_by(InboundEvent.id)))


def _queue_two_accounts(make, api_as, client):
    """Two account events queued by respond-async; returns the admin."""
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    erp = create_integration(api_as, admin)
    for n in (1, 2):
        event = record_event("record.created", "account", f"A-{n}", name="A", owner=rep.email)
        assert _send_async(client, erp, event).status_code == 202
    return admin


def test_events_are_answered_as_queued_then_applied_in_order(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com", "Raj Patel")
    erp = create_integration(api_as, admin)
    batch = {
        "events": [
            record_event("record.created", "account", "ACC-1", name="Acme", owner=rep.email),
            record_event(
                "record.created",
                "opportunity",
                "OPP-1",
                name="Acme renewal",
                owner=rep.email,
                account="ACC-1",
                fields={"stage": "Prospecting"},
            ),
            record_event("record.created", "account", "ACC-2", name="X", owner="nobody@x.io"),
        ]
    }

    answer = _send_async(client, erp, batch)

    assert answer.status_code == 202, answer.json
    assert answer.headers["Preference-Applied"] == "respond-async"
    assert [e["status"] for e in answer.json["events"]] == ["queued"] * 3
    assert table_count(app, FeedItem) == 0  # nothing applied before the answer
    listed = api_as(admin).get("/webhooks/events?status=queued")
    assert listed.status_code == 200 and len(listed.json["items"]) == 3

    assert _apply_queued(app).strip() == "3 queued events applied"
    assert _statuses(app) == ["processed", "processed", "failed"]
    shown = api_as(admin).get(f"/webhooks/events/{answer.json['events'][2]['id']}").json
    assert "nobody@x.io" in shown["error"]
    with app.app_context():
        assert db.session.scalar(sa.select(InboundMessage.status)) == "processed"
    # The opportunity found the account created just before it: applied in the order sent.
    deal_id = (
        api_as(admin)
        .get(f"/webhooks/events/{answer.json['events'][1]['id']}")
        .json["result"]["record_id"]
    )
    with app.app_context():
        assert db.session.get(Record, deal_id).account_id is not None
    assert _apply_queued(app).strip() == "0 queued events applied"


def test_a_queued_update_reaches_followers_once_applied(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin)
    created = send_signed(
        client,
        erp,
        record_event("record.created", "opportunity", "OPP-1", name="Deal", owner=rep.email),
    )
    make.follow(fan, record_ref(created.json["events"][0]["result"]["record_id"]))

    update = record_event(
        "record.updated", "opportunity", "OPP-1", actor=rep.email, fields={"stage": "Won"}
    )
    assert _send_async(client, erp, update).status_code == 202
    assert api_as(fan).get("/feed/home").json["items"] == []

    _apply_queued(app)
    (item,) = api_as(fan).get("/feed/home").json["items"]
    assert item["changes"] == [{"field": "stage", "old": None, "new": "Won"}]


def test_bad_input_is_still_refused_at_once_and_nothing_is_queued(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    body = b'{"type": "record.exploded"}'
    headers = {**signed_headers(erp.secret, body), **ASYNC}

    answer = client.post(EVENTS_URL, data=body, headers=headers)

    assert answer.status_code == 422, answer.json
    assert "record.exploded" in answer.json["error"]["message"]
    assert _statuses(app) == []


def test_a_redelivery_is_a_duplicate_and_the_event_is_applied_once(make, api_as, client, app):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    erp = create_integration(api_as, admin)
    event = record_event("record.created", "account", "ACC-1", name="Acme", owner=rep.email)

    first = _send_async(client, erp, event, msg_id="msg_once")
    again = _send_async(client, erp, event, msg_id="msg_once")

    assert first.status_code == 202 and again.status_code == 200
    assert again.json["duplicate"] is True
    assert _apply_queued(app).strip() == "1 queued events applied"
    assert table_count(app, FeedItem) == 1


def test_the_server_applies_queued_events_after_answering(make, api_as, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_QUEUE_BACKGROUND", True)
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    erp = create_integration(api_as, admin)

    answer = _send_async(
        client, erp, record_event("record.created", "account", "A-1", name="A", owner=rep.email)
    )

    assert answer.status_code == 202
    deadline = time.monotonic() + 10
    while _statuses(app) != ["processed"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _statuses(app) == ["processed"]
    assert table_count(app, FeedItem) == 1
    # The drain stops by itself once nothing is queued.
    while draining() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not draining()


@pytest.mark.postgres_pass
def test_an_event_another_process_holds_is_left_to_it(make, api_as, client, app):
    _queue_two_accounts(make, api_as, client)

    with app.app_context():
        first = db.session.scalar(sa.select(sa.func.min(InboundEvent.id)))
        # Another process's drain, in the middle of applying the first event.
        with db.engine.connect() as other:
            held = sa.select(InboundEvent.id).where(InboundEvent.id == first).with_for_update()
            other.execute(held)
            assert _apply_queued(app).strip() == "1 queued events applied"
            assert _statuses(app) == ["queued", "processed"]
            other.rollback()  # that process died: its event stays queued, for the next drain

    assert _apply_queued(app).strip() == "1 queued events applied"
    assert _statuses(app) == ["processed", "processed"]


def test_an_event_whose_request_no_longer_translates_fails_and_the_queue_goes_on(
    make, api_as, client, app, monkeypatch
):
    admin = _queue_two_accounts(make, api_as, client)
    real = queued.translator
    monkeypatch.setattr(
        queued, "translator", failing_once(real, RuntimeError("a bug in an adapter"))
    )

    assert _apply_queued(app).strip() == "2 queued events applied"
    assert _statuses(app) == ["failed", "processed"]
    with app.app_context():
        failed = db.session.scalar(sa.select(InboundEvent).order_by(InboundEvent.id))
        assert failed.error == "internal error (RuntimeError); see the server log"
    # Failed, so an admin can replay it once the adapter is fixed.
    monkeypatch.setattr(queued, "translator", real)
    replayed = api_as(admin).post(f"/webhooks/events/{failed.id}/replay")
    assert replayed.status_code == 200, replayed.json
    assert _statuses(app) == ["processed", "processed"]
