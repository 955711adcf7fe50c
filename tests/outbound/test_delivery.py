"""Feed events reach subscribed URLs, signed, retried with backoff, never to private hosts."""

import pytest
import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import OutboxMessage


def _subscribe(api, url, **extra):
    response = api.post("/subscriptions", json={"url": url, **extra})
    assert response.status_code == 201, response.json
    return response.json


def test_receiver_failing_twice_then_succeeding_gets_one_delivery_after_three_attempts(
    make, api_as, receiver, quick_retries, deliver
):
    admin = make.user("admin@example.com", admin=True)
    hook = receiver(500, 503, 204)
    subscription = _subscribe(api_as(admin), hook.url, event_types=["record.updated"])
    hook.secret = subscription["secret"]
    deal = make.record("opportunity", "Acme renewal", stage="Prospecting")
    api_as(admin).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})

    for _ in range(4):
        deliver()

    assert [r["verified"] for r in hook.requests] == [True, True, True]
    assert len({r["headers"]["webhook-id"] for r in hook.requests}) == 1
    payload = hook.requests[-1]["payload"]
    assert payload["type"] == "record.updated"
    assert payload["data"]["object"]["name"] == "Acme renewal"
    assert payload["data"]["changes"] == [
        {"field": "stage", "old": "Prospecting", "new": "Closed Won"}
    ]

    log = api_as(admin).get(f"/subscriptions/{subscription['id']}/deliveries").json["items"]
    assert len(log) == 1
    assert log[0]["status"] == "delivered"
    assert log[0]["attempts"] == 3
    assert [a["status_code"] for a in log[0]["log"]] == [500, 503, 204]
    assert [a["succeeded"] for a in log[0]["log"]] == [False, False, True]


def test_outbox_rows_follow_event_types_and_record_type_filter(make, api_as, app):
    admin = make.user("admin@example.com", admin=True)
    _subscribe(
        api_as(admin),
        "http://127.0.0.1:9/x",
        event_types=["record.created"],
        record_types=["opportunity"],
    )
    make.record("account", "Acme")
    deal = make.record("opportunity", "Deal", stage="Prospecting")
    api_as(admin).patch(f"/records/{deal.id}", json={"fields": {"stage": "Won"}})
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [(r.event_type, r.payload["data"]["object"]["id"]) for r in rows] == [
            ("record.created", deal.id)
        ]


def test_410_gone_disables_the_subscription(make, api_as, receiver, deliver):
    admin = make.user("admin@example.com", admin=True)
    hook = receiver(410)
    subscription = _subscribe(api_as(admin), hook.url, event_types=["*"])
    make.record("account", "Acme")
    make.record("account", "Globex")
    deliver()
    shown = api_as(admin).get(f"/subscriptions/{subscription['id']}").json
    assert shown["active"] is False
    assert "410" in shown["disabled_reason"]
    assert len(hook.requests) == 1
    statuses = [
        d["status"]
        for d in api_as(admin).get(f"/subscriptions/{subscription['id']}/deliveries").json["items"]
    ]
    assert statuses == ["failed", "failed"]


def test_repeated_failures_disable_the_subscription_and_patch_reenables(
    make, api_as, receiver, quick_retries, deliver, app
):
    admin = make.user("admin@example.com", admin=True)
    hook = receiver(500)
    subscription = _subscribe(api_as(admin), hook.url, event_types=["record.created"])
    make.record("account", "Acme")
    app.config["OUTBOUND_DISABLE_AFTER_FAILURES"] = 3
    try:
        for _ in range(5):
            deliver()
    finally:
        app.config["OUTBOUND_DISABLE_AFTER_FAILURES"] = 50
    assert len(hook.requests) == 3
    shown = api_as(admin).get(f"/subscriptions/{subscription['id']}").json
    assert shown["active"] is False
    assert shown["disabled_reason"] == "3 failures in a row"
    enabled = api_as(admin).patch(f"/subscriptions/{subscription['id']}", json={"active": True})
    assert enabled.json["active"] is True
    assert enabled.json["consecutive_failures"] == 0


def test_private_and_loopback_urls_are_refused_unless_allowed(make, api_as, app, deliver):
    admin = make.user("admin@example.com", admin=True)
    for url in ("http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/x"):
        refused = api_as(admin).post("/subscriptions", json={"url": url, "event_types": ["*"]})
        assert refused.status_code == 422, url
        assert "private or loopback" in refused.json["error"]["message"]

    subscription = _subscribe(api_as(admin), "http://127.0.0.1:9/hook", event_types=["*"])
    app.config["OUTBOUND_ALLOW_HOSTS"] = []
    try:
        make.record("account", "Acme")
        deliver()
    finally:
        app.config["OUTBOUND_ALLOW_HOSTS"] = ["127.0.0.1"]
    log = api_as(admin).get(f"/subscriptions/{subscription['id']}/deliveries").json["items"]
    assert log[0]["log"][0]["status_code"] is None
    assert log[0]["log"][0]["error"].startswith("refused: 127.0.0.1 resolves to 127.0.0.1")


def test_only_admins_and_integrations_manage_subscriptions_each_seeing_their_own(
    make, api_as, client
):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    assert api_as(rep).get("/subscriptions").status_code == 403
    created = api_as(admin).post("/integrations", json={"name": "ERP"}).json
    bot_api = type(api_as(rep))(client, created["token"])
    own = _subscribe(bot_api, "http://127.0.0.1:9/erp", event_types=["post.created"])
    assert own["integration_id"] == created["id"]
    _subscribe(api_as(admin), "http://127.0.0.1:9/admin", event_types=["*"])
    assert [s["url"] for s in bot_api.get("/subscriptions").json] == ["http://127.0.0.1:9/erp"]
    assert len(api_as(admin).get("/subscriptions").json) == 2
    bad = bot_api.post("/subscriptions", json={"url": "http://127.0.0.1:9/", "event_types": ["x"]})
    assert bad.status_code == 422


def test_in_process_worker_loop_delivers_then_waits(make, api_as, receiver, app):
    from feedserver.outbound.worker import run_forever

    admin = make.user("admin@example.com", admin=True)
    hook = receiver(204)
    hook.secret = _subscribe(api_as(admin), hook.url, event_types=["*"])["secret"]
    make.record("account", "Acme")

    class Idle(Exception):
        """Raised by the fake sleep: the loop found nothing more to do."""

    def sleep(seconds):
        assert seconds == app.config["OUTBOUND_POLL_SECONDS"]
        raise Idle

    with pytest.raises(Idle):
        run_forever(app, sleep=sleep)
    assert [r["verified"] for r in hook.requests] == [True]


def test_delivery_gives_up_after_the_retry_window(make, api_as, receiver, deliver, app):
    admin = make.user("admin@example.com", admin=True)
    hook = receiver(500)
    subscription = _subscribe(api_as(admin), hook.url, event_types=["*"])
    make.record("account", "Acme")
    app.config["OUTBOUND_RETRY_WINDOW_SECONDS"] = 0
    try:
        deliver()
        deliver()
    finally:
        app.config["OUTBOUND_RETRY_WINDOW_SECONDS"] = 24 * 3600
    log = api_as(admin).get(f"/subscriptions/{subscription['id']}/deliveries").json["items"]
    assert [(d["status"], d["attempts"]) for d in log] == [("failed", 1)]
    assert log[0]["last_error"] == "receiver answered 500"
    assert api_as(admin).get(f"/subscriptions/{subscription['id']}").json["active"] is True
