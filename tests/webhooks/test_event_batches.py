"""Several events in one request: each sees what the one before it changed, in order."""

from tests.integrations.support import create_integration, record_event, record_ref, send_signed


def _home(api):
    response = api.get("/feed/home")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_events_about_one_record_in_one_batch_build_on_each_other(make, api_as, client):
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com", "Raj Patel")
    boss = make.user("boss@example.com", "Bea Boss")
    fan = make.user("fan@example.com")
    erp = create_integration(api_as, admin)
    created = send_signed(
        client,
        erp,
        record_event(
            "record.created",
            "opportunity",
            "OPP-1",
            name="Acme renewal",
            owner=rep.email,
            fields={"stage": "Prospecting", "amount": 100},
        ),
    )
    deal_id = created.json["events"][0]["result"]["record_id"]
    make.follow(fan, record_ref(deal_id))

    response = send_signed(
        client,
        erp,
        {
            "events": [
                record_event("record.updated", "opportunity", "OPP-1", fields={"amount": 200}),
                record_event("record.updated", "opportunity", "OPP-1", owner=boss.email),
                record_event("record.updated", "opportunity", "OPP-1", fields={"amount": 300}),
            ]
        },
    )

    assert response.status_code == 202, response.json
    assert [e["status"] for e in response.json["events"]] == ["processed"] * 3
    items = _home(api_as(fan))
    assert [(i["seq"], i["changes"]) for i in items] == [
        (3, [{"field": "amount", "old": 200, "new": 300}]),
        (2, [{"field": "owner", "old": "Raj Patel", "new": "Bea Boss"}]),
        (1, [{"field": "amount", "old": 100, "new": 200}]),
    ]
    record = make.get_record(deal_id)
    assert record.fields == {"stage": "Prospecting", "amount": 300}
    assert record.version == 4


def test_followers_at_different_seqs_each_get_their_next_one_across_batches(
    make, api_as, client, app, monkeypatch
):
    monkeypatch.setitem(app.config, "FANOUT_BATCH_SIZE", 2)
    admin = make.user("admin@example.com", admin=True)
    rep = make.user("rep@example.com")
    erp = create_integration(api_as, admin)
    created = send_signed(
        client,
        erp,
        {
            "events": [
                record_event("record.created", "opportunity", "A", name="A", owner=rep.email),
                record_event("record.created", "opportunity", "B", name="B", owner=rep.email),
            ]
        },
    )
    deal_a, deal_b = (e["result"]["record_id"] for e in created.json["events"])
    fans = [make.user(f"fan{i}@example.com") for i in range(5)]
    for fan in fans:
        make.follow(fan, record_ref(deal_b))
    for fan in fans[:2]:  # two of them already have two items in their inbox
        make.follow(fan, record_ref(deal_a))
    for amount in (1, 2):
        send_signed(
            client,
            erp,
            record_event("record.updated", "opportunity", "A", fields={"amount": amount}),
        )

    response = send_signed(
        client, erp, record_event("record.updated", "opportunity", "B", fields={"amount": 9})
    )

    assert response.status_code == 202, response.json
    item_id = response.json["events"][0]["result"]["item_id"]
    for index, fan in enumerate(fans):
        newest = _home(api_as(fan))[0]
        assert newest["id"] == item_id
        assert newest["seq"] == (3 if index < 2 else 1)
