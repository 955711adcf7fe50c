"""Nothing in a private group reaches a non-member, by any path.

Scenario: Ana owns the private group "Deal desk"; Mia is a member. Nora is not a member, yet
she follows Ana, follows the topic, is mentioned, and was a member once. Every read path is
tried as Nora; the same paths as Mia prove the item really is there.
"""

import pytest

from tests.conversations.conftest import live_events, named  # noqa: F401  (fixture)

SECRET = "Project nightingale pricing #nightingale"


@pytest.fixture
def scene(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    mia = make.user("mia@example.com", "Mia Member")
    nora = make.user("nora@example.com", "Nora Outsider")
    make.follow(nora, ana)
    group_id = (
        api_as(ana).post("/groups", json={"name": "Deal desk", "visibility": "private"}).json["id"]
    )
    api_as(mia).post(f"/groups/{group_id}/join")
    api_as(ana).post(f"/groups/{group_id}/requests/{mia.id}/approve")
    # Nora follows the topic before the secret post uses it.
    public_topic_post = api_as(ana).post("/posts", json={"body": "warm-up #nightingale"}).json
    topic_id = api_as(nora).get("/topics/nightingale").json["id"]
    api_as(nora).post("/follows", json={"kind": "topic", "id": topic_id})
    item = (
        api_as(ana)
        .post(
            "/posts",
            json={
                "body": f"{SECRET} cc @[Nora](user:{nora.id}) @[Mia](user:{mia.id})",
                "target": {"kind": "group", "id": group_id},
                "poll": {"choices": ["Discount", "Hold price"]},
            },
        )
        .json
    )
    comment = (
        api_as(mia).post(f"/items/{item['id']}/comments", json={"body": "nightingale ok"}).json
    )
    return {
        "ana": ana, "mia": mia, "nora": nora, "group_id": group_id, "item": item,
        "comment": comment, "public_id": public_topic_post["id"],
    }  # fmt: skip


def _ids(response):
    assert response.status_code == 200, response.json
    return [i["id"] for i in response.json["items"]]


def test_member_sees_the_item_everywhere(scene, api_as):
    mia, item = api_as(scene["mia"]), scene["item"]

    assert item["id"] in _ids(mia.get("/feed/home"))
    assert item["id"] in _ids(mia.get("/feed/company"))
    assert item["id"] in _ids(mia.get(f"/groups/{scene['group_id']}/feed"))
    assert item["id"] in _ids(mia.get(f"/users/{scene['ana'].id}/feed"))
    assert item["id"] in _ids(mia.get("/topics/nightingale/feed"))
    assert mia.get(f"/items/{item['id']}").status_code == 200
    assert any(h["item_id"] == item["id"] for h in mia.get("/search?q=nightingale").json["items"])


def test_feeds_never_show_it_to_a_non_member(scene, api_as):
    nora, item_id, ana_id = api_as(scene["nora"]), scene["item"]["id"], scene["ana"].id

    assert item_id not in _ids(nora.get("/feed/home"))
    assert item_id not in _ids(nora.get("/feed/company"))
    assert item_id not in _ids(nora.get(f"/users/{ana_id}/feed"))
    assert item_id not in _ids(nora.get("/topics/nightingale/feed"))
    assert nora.get(f"/groups/{scene['group_id']}/feed").status_code == 403
    assert nora.get(f"/groups/{scene['group_id']}/members").status_code == 403


def test_item_and_comment_endpoints_answer_not_found(scene, api_as):
    nora, item_id = api_as(scene["nora"]), scene["item"]["id"]
    comment_id = scene["comment"]["id"]
    choice_id = scene["item"]["poll"]["choices"][0]["id"]

    for response in (
        nora.get(f"/items/{item_id}"),
        nora.get(f"/items/{item_id}/comments"),
        nora.post(f"/items/{item_id}/comments", json={"body": "peek"}),
        nora.post(f"/items/{item_id}/like"),
        nora.get(f"/items/{item_id}/likes"),
        nora.post(f"/items/{item_id}/vote", json={"choice_id": choice_id}),
        nora.post(f"/items/{item_id}/bookmark"),
        nora.post(f"/items/{item_id}/shares", json={"to": "followers"}),
        nora.post("/mutes", json={"kind": "item", "id": item_id}),
        nora.patch(f"/comments/{comment_id}", json={"body": "x"}),
        nora.post(f"/comments/{comment_id}/like"),
        nora.get(f"/comments/{comment_id}/likes"),
    ):
        assert response.status_code == 404, response.request.path
        assert "nightingale" not in response.get_data(as_text=True).lower()


def test_search_finds_neither_the_post_nor_its_comments(scene, api_as):
    hits = api_as(scene["nora"]).get("/search?q=nightingale").json["items"]

    assert [h["item_id"] for h in hits] == [scene["public_id"]]


def test_mention_neither_notifies_nor_delivers_to_a_non_member(scene, api_as):
    nora = api_as(scene["nora"])

    assert nora.get("/notifications").json["items"] == []
    assert nora.get("/notifications/unread-count").json == {"unread_count": 0}
    texts = [n["text"] for n in api_as(scene["mia"]).get("/notifications").json["items"]]
    assert "Ana Lima mentioned you" in texts


def test_counts_and_autocomplete_leave_it_out(scene, api_as):
    nora = api_as(scene["nora"])

    trending = nora.get("/topics/trending").json["items"]
    assert trending == [{"id": trending[0]["id"], "name": "nightingale", "uses": 1}]
    member_trending = api_as(scene["mia"]).get("/topics/trending").json["items"]
    assert member_trending[0]["uses"] == 2
    assert nora.get("/mentions/suggest?q=deal").json["items"] == []
    assert api_as(scene["mia"]).get("/mentions/suggest?q=deal").json["items"][0]["kind"] == "group"


def test_live_events_never_go_to_a_non_member(scene, make, api_as, live_events):  # noqa: F811
    mia, item_id = api_as(scene["mia"]), scene["item"]["id"]
    choice_id = scene["item"]["poll"]["choices"][1]["id"]

    mia.post(f"/items/{item_id}/comments", json={"body": "more"})
    mia.post(f"/items/{item_id}/like")
    mia.post(f"/items/{item_id}/vote", json={"choice_id": choice_id})
    api_as(scene["ana"]).patch(f"/items/{item_id}", json={"body": "edited secret"})

    names = {name for name, _, _ in live_events}
    assert {"comment_added", "like_changed", "poll_changed", "item_updated"} <= names
    for _name, _payload, users in live_events:
        assert scene["nora"].id not in users


def test_a_removed_member_loses_what_was_already_delivered(scene, api_as):
    mia, item_id = api_as(scene["mia"]), scene["item"]["id"]
    mia.post(f"/items/{item_id}/bookmark")
    assert item_id in _ids(mia.get("/feed/home"))

    api_as(scene["ana"]).delete(f"/groups/{scene['group_id']}/members/{scene['mia'].id}")

    assert item_id not in _ids(mia.get("/feed/home"))
    assert _ids(mia.get("/bookmarks")) == []
    assert mia.get(f"/items/{item_id}").status_code == 404
    assert "Ana Lima mentioned you" not in [
        n["text"] for n in mia.get("/notifications").json["items"]
    ]
    assert not [
        h for h in mia.get("/search?q=nightingale").json["items"] if h["item_id"] == item_id
    ]


def test_private_items_cannot_be_shared_out_even_by_members(scene, api_as):
    response = api_as(scene["mia"]).post(
        f"/items/{scene['item']['id']}/shares", json={"to": "followers"}
    )

    assert response.status_code == 403
