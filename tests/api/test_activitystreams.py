"""Feed items rendered as W3C Activity Streams 2.0."""


def test_stage_change_as_an_as2_update_activity(make, api_as):
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Acme renewal", owner=rep, stage="Proposal")
    make.follow(fan, deal)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})
    item_id = api_as(fan).get("/feed/home").json["items"][0]["id"]

    response = api_as(fan).get(f"/activities/{item_id}")

    assert response.status_code == 200
    assert response.mimetype == "application/activity+json"
    activity = response.json
    assert activity["@context"] == "https://www.w3.org/ns/activitystreams"
    assert activity["type"] == "Update"
    assert activity["actor"] == {
        "type": "Person",
        "id": f"http://localhost/api/v1/users/{rep.id}",
        "name": "Raj Patel",
    }
    assert activity["object"]["name"] == "Acme renewal"
    assert activity["object"]["fs:recordType"] == "opportunity"
    assert activity["fs:changes"] == [{"field": "stage", "old": "Proposal", "new": "Negotiation"}]


def test_home_feed_as_an_ordered_collection_page(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, rep)
    for i in range(3):
        make.record("account", f"Account {i}", owner=rep, actor=rep)

    page = api_as(fan).get("/activities?limit=2").json

    assert page["type"] == "OrderedCollectionPage"
    assert [a["object"]["name"] for a in page["orderedItems"]] == ["Account 2", "Account 1"]
    assert page["next"].startswith("http://localhost/api/v1/activities?cursor=")
    assert api_as(fan).get("/activities/999999").status_code == 404
