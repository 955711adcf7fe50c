"""Bookmarks, and muting an item, a record or a person without unfollowing."""


def _home_ids(api):
    return [i["id"] for i in api.get("/feed/home").json["items"]]


def test_bookmark_list_and_remove(make, api_as):
    ana = make.user("ana@example.com")
    first = api_as(ana).post("/posts", json={"body": "one"}).json["id"]
    second = api_as(ana).post("/posts", json={"body": "two"}).json["id"]

    assert api_as(ana).post(f"/items/{first}/bookmark").status_code == 204
    assert api_as(ana).post(f"/items/{second}/bookmark").status_code == 204
    assert api_as(ana).post(f"/items/{first}/bookmark").status_code == 204

    assert [i["id"] for i in api_as(ana).get("/bookmarks").json["items"]] == [second, first]
    assert api_as(ana).get(f"/items/{first}").json["viewer"]["bookmarked"] is True
    assert api_as(ana).delete(f"/items/{first}/bookmark").status_code == 204
    assert [i["id"] for i in api_as(ana).get("/bookmarks").json["items"]] == [second]


def test_bookmarking_unknown_item_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).post("/items/999/bookmark").status_code == 404


def test_muting_a_person_keeps_their_items_out_of_my_home_feed_without_unfollowing(make, api_as):
    ana = make.user("ana@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, ana)
    before = api_as(ana).post("/posts", json={"body": "before"}).json["id"]

    assert api_as(fan).post("/mutes", json={"kind": "user", "id": ana.id}).status_code == 200
    api_as(ana).post("/posts", json={"body": "after"})

    assert _home_ids(api_as(fan)) == []
    assert [f["subject"]["id"] for f in api_as(fan).get("/follows").json["items"]] == [ana.id]
    assert api_as(fan).delete(f"/mutes/user/{ana.id}").status_code == 204
    assert _home_ids(api_as(fan)) == [before]


def test_muting_a_record_silences_its_changes(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    make.follow(fan, deal)
    api_as(fan).post("/mutes", json={"kind": "record", "id": deal.id})

    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})

    assert _home_ids(api_as(fan)) == []
    assert [m["kind"] for m in api_as(fan).get("/mutes").json["items"]] == ["record"]


def test_muting_an_item_hides_it_and_its_shares_from_home(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, ana)
    make.follow(fan, bo)
    item_id = api_as(ana).post("/posts", json={"body": "noisy"}).json["id"]
    api_as(fan).post("/mutes", json={"kind": "item", "id": item_id})

    api_as(bo).post(f"/items/{item_id}/shares", json={"to": "followers"})

    assert _home_ids(api_as(fan)) == []


def test_mute_bad_input(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).post("/mutes", json={"kind": "user", "id": ana.id}).status_code == 422
    assert api_as(ana).post("/mutes", json={"kind": "user", "id": 999}).status_code == 404
    response = api_as(ana).post("/mutes", json={"kind": "planet", "id": 1})
    assert response.status_code == 422 and "kind" in response.json["error"]["fields"]
    assert api_as(ana).delete("/mutes/user/999").status_code == 404
