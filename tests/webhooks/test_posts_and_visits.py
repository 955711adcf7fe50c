"""Integrations post to records and profiles, log visits; simple systems post via a record URL."""

from tests.integrations.support import (
    create_integration,
    record_event,
    record_ref,
    send_signed,
    send_with_token,
)


def _home(api):
    return api.get("/feed/home").json["items"]


def _setup_account(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    response = send_with_token(
        client, erp, record_event("record.created", "account", "ACC-1", name="Acme Corp")
    )
    return admin, erp, response.json["events"][0]["result"]["record_id"]


def test_integration_posts_to_a_record_feed_as_its_bot(make, api_as, client):
    admin, erp, account_id = _setup_account(make, api_as, client)
    fan = make.user("fan@example.com")
    make.follow(fan, record_ref(account_id))
    post = {
        "type": "post.created",
        "text": "Invoice 2026-118 paid in full.",
        "record": {"type": "account", "external_id": "ACC-1"},
    }
    response = send_signed(client, erp, post)
    assert response.status_code == 202, response.json
    assert response.json["events"][0]["status"] == "processed"
    item = _home(api_as(fan))[0]
    assert item["verb"] == "post"
    assert item["body"] == "Invoice 2026-118 paid in full."
    assert item["actor"]["name"] == "ERP (integration)"
    assert item["target"]["id"] == account_id
    record_feed = api_as(fan).get(f"/records/{account_id}/feed")
    assert record_feed.json["items"][0]["body"] == "Invoice 2026-118 paid in full."


def test_integration_posts_to_a_person_profile(make, api_as, client):
    admin, erp, _ = _setup_account(make, api_as, client)
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    make.follow(fan, rep)
    response = send_with_token(
        client, erp, {"type": "post.created", "text": "Quota reached!", "user": rep.email}
    )
    assert response.json["events"][0]["status"] == "processed", response.json
    assert _home(api_as(rep))[0]["body"] == "Quota reached!"
    assert api_as(fan).get(f"/users/{rep.id}/feed").json["items"][0]["body"] == "Quota reached!"
    assert _home(api_as(fan))[0]["target"] == {
        "kind": "user",
        "id": rep.id,
        "name": "Raj Patel",
        "type": None,
    }
    unknown = send_with_token(
        client, erp, {"type": "post.created", "text": "hi", "user": "ghost@example.com"}
    )
    assert unknown.json["events"][0]["status"] == "failed"
    assert "ghost@example.com" in unknown.json["events"][0]["error"]


def test_logged_visit_reaches_rep_followers_account_followers_and_whole_management_chain(
    make, api_as, client
):
    admin, erp, account_id = _setup_account(make, api_as, client)
    vp = make.user("vp@example.com", "Vera Price")
    manager = make.user("manager@example.com", "Max Manager", manager=vp)
    rep = make.user("rep@example.com", "Raj Patel", manager=manager)
    rep_fan = make.user("repfan@example.com")
    account_fan = make.user("acctfan@example.com")
    stranger = make.user("stranger@example.com")
    make.follow(rep_fan, rep)
    make.follow(account_fan, record_ref(account_id))

    visit = {
        "type": "visit.logged",
        "occurred_at": "2026-11-20T10:30:00Z",
        "actor": rep.email,
        "visit": {
            "account": "ACC-1",
            "rep": rep.email,
            "contacts": ["Jane Doe (CFO)", "Li Wei"],
            "purpose": "Renewal negotiation",
            "notes": "Budget approved; legal review next week.",
        },
    }
    response = send_with_token(client, erp, visit)
    assert response.status_code == 202, response.json
    event = response.json["events"][0]
    assert event["status"] == "processed", event

    for viewer in (vp, manager, rep_fan, account_fan):
        item = _home(api_as(viewer))[0]
        assert item["record_type"] == "visit"
        assert item["actor"]["name"] == "Raj Patel"
        assert item["body"] == "Budget approved; legal review next week."
        assert item["target"]["id"] == account_id
    assert _home(api_as(stranger)) == []

    visit_record = api_as(vp).get(f"/records/{event['result']['record_id']}").json
    assert visit_record["type"] == "visit"
    assert visit_record["owner"]["name"] == "Raj Patel"
    assert visit_record["fields"]["contacts"] == ["Jane Doe (CFO)", "Li Wei"]
    assert visit_record["fields"]["purpose"] == "Renewal negotiation"
    assert visit_record["fields"]["visited_at"].startswith("2026-11-20T10:30:00")


def test_visit_for_an_unknown_account_fails_and_can_be_replayed(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    erp = create_integration(api_as, admin)
    visit = {"type": "visit.logged", "visit": {"account": "LATE-1", "rep": rep.email}}
    event = send_with_token(client, erp, visit).json["events"][0]
    assert event["status"] == "failed"
    assert "LATE-1" in event["error"]
    send_with_token(client, erp, record_event("record.created", "account", "LATE-1", name="Late"))
    replayed = api_as(admin).post(f"/webhooks/events/{event['id']}/replay").json
    assert replayed["status"] == "processed"


def test_record_inbound_url_posts_with_a_plain_curl_until_revoked(make, api_as, client):
    owner = make.user("owner@example.com", "Olga Owner")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Acme renewal", owner=owner, stage="Prospecting")
    make.follow(fan, deal)

    created = api_as(owner).post(f"/records/{deal.id}/inbound-token", json={"name": "Jenkins"})
    assert created.status_code == 201, created.json
    url = created.json["url"]
    assert url.startswith("http://localhost/api/v1/inbound/records/fsr_")
    path = url.removeprefix("http://localhost")

    posted = client.post(path, json={"text": "Contract PDF generated."})
    assert posted.status_code == 201, posted.json
    item = _home(api_as(fan))[0]
    assert item["body"] == "Contract PDF generated."
    assert item["actor"]["name"] == "Jenkins"
    assert item["source"] == "inbound_url"

    assert client.post(path, json={}).status_code == 422
    assert api_as(owner).delete(f"/records/{deal.id}/inbound-token").status_code == 204
    assert client.post(path, json={"text": "again"}).status_code == 404
    assert api_as().post(f"/records/{deal.id}/inbound-token", json={}).status_code == 401


def test_record_inbound_url_has_a_rate_limit_of_its_own(make, api_as, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_URL_RATE_LIMIT", "2/minute")
    owner = make.user("owner@example.com")
    deal = make.record("opportunity", "Acme renewal", owner=owner)
    url = api_as(owner).post(f"/records/{deal.id}/inbound-token", json={}).json["url"]
    path = url.removeprefix("http://localhost")

    statuses = [client.post(path, json={"text": f"build {i}"}).status_code for i in range(3)]
    refused = client.post(path, json={"text": "one more"})

    assert statuses == [201, 201, 429]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "inbound URL" in refused.json["error"]["message"]


def test_integration_post_mentions_a_person_and_tags_a_topic(make, api_as, client):
    admin, erp, account_id = _setup_account(make, api_as, client)
    ana = make.user("ana@example.com", "Ana Silva")  # follows nothing at all
    post = {
        "type": "post.created",
        "text": f"**Overdue** invoice — @[Ana Silva](user:{ana.id}) please check #collections",
        "record": {"type": "account", "external_id": "ACC-1"},
    }

    response = send_signed(client, erp, post)

    assert response.status_code == 202, response.json
    item = _home(api_as(ana))[0]
    assert item["actor"]["name"] == "ERP (integration)"
    assert "<strong>Overdue</strong>" in item["body_html"]
    notes = api_as(ana).get("/notifications").json["items"]
    assert [n["kind"] for n in notes] == ["mention"]
    topic_feed = api_as(ana).get("/topics/collections/feed")
    assert topic_feed.status_code == 200
    assert [i["id"] for i in topic_feed.json["items"]] == [item["id"]]
