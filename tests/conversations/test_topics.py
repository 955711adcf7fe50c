"""#topics: parsed from bodies, linked, followable, with a topic feed and trending counts."""


def test_topics_are_parsed_linked_and_case_insensitive(make, api_as):
    ana = make.user("ana@example.com")

    item = api_as(ana).post("/posts", json={"body": "Closing #Renewals and #q4-push"}).json

    assert (
        '<a href="/topics/renewals" class="topic" rel="noopener nofollow">#Renewals</a>'
        in (item["body_html"])
    )
    assert api_as(ana).get("/topics/RENEWALS").json["name"] == "renewals"
    assert [i["id"] for i in api_as(ana).get("/topics/renewals/feed").json["items"]] == [item["id"]]
    assert api_as(ana).get("/topics/q4-push/feed").json["items"][0]["id"] == item["id"]


def test_following_a_topic_brings_new_posts_with_it_home(make, api_as):
    ana = make.user("ana@example.com")
    fan = make.user("fan@example.com")
    api_as(ana).post("/posts", json={"body": "#pricing matters"})
    topic_id = api_as(fan).get("/topics/pricing").json["id"]

    assert api_as(fan).post("/follows", json={"kind": "topic", "id": topic_id}).status_code == 200
    later = api_as(ana).post("/posts", json={"body": "New #Pricing sheet"}).json

    assert [i["id"] for i in api_as(fan).get("/feed/home").json["items"]] == [later["id"]]
    follows = api_as(fan).get("/follows?kind=topic").json["items"]
    assert follows[0]["subject"]["name"] == "pricing"


def test_trending_counts_recent_uses(make, api_as):
    ana = make.user("ana@example.com")
    for body in ("#alpha", "#alpha #beta", "#alpha", "#beta #gamma"):
        api_as(ana).post("/posts", json={"body": body})

    trending = api_as(ana).get("/topics/trending?limit=2").json["items"]

    assert [(t["name"], t["uses"]) for t in trending] == [("alpha", 3), ("beta", 2)]


def test_editing_a_post_retags_it(make, api_as):
    ana = make.user("ana@example.com")
    item_id = api_as(ana).post("/posts", json={"body": "#old"}).json["id"]

    api_as(ana).patch(f"/items/{item_id}", json={"body": "#new"})

    assert api_as(ana).get("/topics/old/feed").json["items"] == []
    assert [i["id"] for i in api_as(ana).get("/topics/new/feed").json["items"]] == [item_id]


def test_unknown_topic_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).get("/topics/nothing").status_code == 404
    assert api_as(ana).post("/follows", json={"kind": "topic", "id": 999}).status_code == 404
