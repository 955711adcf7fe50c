"""Home, record, profile and company feeds: paged by cursor, filtered, caught up by seq."""

import pytest


@pytest.fixture
def scene(make):
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com", "Dana Fan")
    acme = make.record("account", "Acme", owner=rep)
    make.follow(fan, rep)
    deal = make.record("opportunity", "Acme deal", owner=rep, account=acme, actor=rep, amount=0)
    case = make.record("case", "Broken sync", owner=rep, account=acme, actor=rep, status="Open")
    return rep, fan, acme, deal, case


def test_home_feed_pages_by_cursor_newest_first(scene, api_as):
    rep, fan, _, deal, _ = scene
    for amount in range(1, 8):
        api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": amount}})

    seqs, cursor = [], None
    while True:
        page = api_as(fan).get("/feed/home?limit=4" + (f"&cursor={cursor}" if cursor else "")).json
        seqs += [item["seq"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert seqs == sorted(seqs, reverse=True) and len(seqs) == len(set(seqs)) == 9


def test_home_feed_catch_up_after_seq_is_oldest_first(scene, api_as):
    rep, fan, _, deal, _ = scene
    last_seen = api_as(fan).get("/feed/home").json["items"][0]["seq"]
    for amount in (10, 20, 30):
        api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": amount}})

    page = api_as(fan).get(f"/feed/home?after_seq={last_seen}&limit=2").json
    rest = api_as(fan).get(f"/feed/home?after_seq={page['items'][-1]['seq']}").json

    amounts = [i["changes"][0]["new"] for i in page["items"] + rest["items"]]
    assert amounts == [10, 20, 30]
    assert page["has_more"] is True and rest["has_more"] is False


def test_feeds_filter_by_verb_and_record_type(scene, api_as):
    rep, fan, _, deal, _ = scene
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": 5}})

    updates = api_as(fan).get("/feed/home?verb=update").json["items"]
    cases = api_as(fan).get("/feed/home?record_type=case").json["items"]
    company_cases = api_as(fan).get("/feed/company?record_type=case").json["items"]

    assert [i["verb"] for i in updates] == ["update"]
    assert [i["object"]["name"] for i in cases] == ["Broken sync"]
    assert [i["object"]["name"] for i in company_cases] == ["Broken sync"]


def test_record_feed_shows_the_record_and_its_children(scene, api_as):
    rep, fan, acme, deal, _ = scene

    deal_feed = api_as(fan).get(f"/records/{deal.id}/feed").json["items"]
    account_feed = api_as(fan).get(f"/records/{acme.id}/feed").json["items"]

    assert [i["object"]["name"] for i in deal_feed] == ["Acme deal"]
    # An account's feed includes what happened to its deals and cases (they target it).
    assert [i["object"]["name"] for i in account_feed] == ["Broken sync", "Acme deal", "Acme"]


def test_profile_feed_is_what_the_person_did(scene, api_as):
    rep, fan, *_ = scene

    items = api_as(fan).get(f"/users/{rep.id}/feed").json["items"]

    assert [i["actor"]["name"] for i in items] == ["Raj Patel", "Raj Patel"]
    assert api_as(fan).get(f"/users/{fan.id}/feed").json["items"] == []


def test_bad_feed_parameters_are_named(scene, api_as):
    _, fan, *_ = scene

    for query, field in (
        ("?limit=0", "limit"),
        ("?after_seq=-1", "after_seq"),
        ("?cursor=%%%", "cursor"),
        ("?limit=abc", "limit"),
    ):
        response = api_as(fan).get("/feed/home" + query)
        assert response.status_code in (400, 422), query
        assert field in response.json["error"]["fields"], query
