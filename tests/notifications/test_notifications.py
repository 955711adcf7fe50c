"""Notifications: kinds, grouping, never for my own actions, read state, settings, live push."""

from tests.conversations.conftest import live_events, named  # noqa: F401  (fixture)


def _post(api, body="Quarterly plan"):
    return api.post("/posts", json={"body": body}).json["id"]


def _notes(api):
    response = api.get("/notifications")
    assert response.status_code == 200, response.json
    return response.json


def test_likes_group_into_one_notification(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    likers = [make.user(f"l{n}@example.com", f"Liker {n}") for n in range(5)]
    item_id = _post(api_as(ana))

    for liker in likers:
        api_as(liker).post(f"/items/{item_id}/like")

    notes = _notes(api_as(ana))
    assert [n["text"] for n in notes["items"]] == ["Liker 4 and 4 others liked your post"]
    assert notes["items"][0]["actor_count"] == 5
    assert notes["unread_count"] == 1


def test_comments_notify_the_author_and_earlier_commenters_but_never_the_commenter(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    cy = make.user("cy@example.com", "Cy Chen")
    item_id = _post(api_as(ana))

    api_as(bo).post(f"/items/{item_id}/comments", json={"body": "first"})
    api_as(cy).post(f"/items/{item_id}/comments", json={"body": "second"})
    api_as(ana).post(f"/items/{item_id}/comments", json={"body": "thanks"})

    assert [n["text"] for n in _notes(api_as(ana))["items"]] == [
        "Cy Chen and 1 other commented on your post"
    ]
    assert [n["text"] for n in _notes(api_as(bo))["items"]] == [
        "Ana Lima and 1 other commented on a post you commented on"
    ]
    assert [n["text"] for n in _notes(api_as(cy))["items"]] == [
        "Ana Lima commented on a post you commented on"
    ]


def test_my_own_like_and_comment_never_notify_me(make, api_as):
    ana = make.user("ana@example.com")
    item_id = _post(api_as(ana))

    api_as(ana).post(f"/items/{item_id}/like")
    api_as(ana).post(f"/items/{item_id}/comments", json={"body": "me again"})

    assert _notes(api_as(ana)) == {"items": [], "next_cursor": None, "unread_count": 0}


def test_new_follower_is_notified(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")

    assert api_as(bo).post("/follows", json={"kind": "user", "id": ana.id}).status_code == 200

    assert [n["text"] for n in _notes(api_as(ana))["items"]] == ["Bo Berg started following you"]


def test_mark_one_and_all_read(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    first, second = _post(api_as(ana), "one"), _post(api_as(ana), "two")
    api_as(bo).post(f"/items/{first}/like")
    api_as(bo).post(f"/items/{second}/like")
    notes = _notes(api_as(ana))["items"]
    assert api_as(ana).get("/notifications/unread-count").json == {"unread_count": 2}

    response = api_as(ana).post(f"/notifications/{notes[0]['id']}/read")

    assert response.status_code == 200 and response.json["read_at"] is not None
    assert api_as(ana).get("/notifications/unread-count").json == {"unread_count": 1}
    assert api_as(ana).post("/notifications/read-all").json == {"unread_count": 0}
    assert api_as(ana).get("/notifications?unread=true").json["items"] == []


def test_someone_elses_notification_is_not_found(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    api_as(bo).post(f"/items/{_post(api_as(ana))}/like")
    note_id = _notes(api_as(ana))["items"][0]["id"]

    assert api_as(bo).post(f"/notifications/{note_id}/read").status_code == 404


def test_a_like_after_reading_starts_a_new_notification(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com", "Bo Berg")
    cy = make.user("cy@example.com", "Cy Chen")
    item_id = _post(api_as(ana))
    api_as(bo).post(f"/items/{item_id}/like")
    api_as(ana).post("/notifications/read-all")

    api_as(cy).post(f"/items/{item_id}/like")

    texts = [n["text"] for n in _notes(api_as(ana))["items"]]
    assert texts == ["Cy Chen liked your post", "Bo Berg liked your post"]


def test_settings_turn_a_kind_off(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    item_id = _post(api_as(ana))

    response = api_as(ana).patch("/notifications/settings", json={"like": False})

    assert response.status_code == 200
    assert response.json["like"] is False and response.json["comment"] is True
    api_as(bo).post(f"/items/{item_id}/like")
    api_as(bo).post(f"/items/{item_id}/comments", json={"body": "hi"})
    assert [n["kind"] for n in _notes(api_as(ana))["items"]] == ["comment"]


def test_unknown_setting_is_refused(make, api_as):
    ana = make.user("ana@example.com")

    response = api_as(ana).patch("/notifications/settings", json={"telepathy": True})

    assert response.status_code == 422
    assert "telepathy" in response.json["error"]["fields"]
    assert api_as(ana).patch("/notifications/settings", json={}).status_code == 422
    assert api_as(ana).patch("/notifications/settings", json={"like": 0}).status_code == 422


def test_notification_is_pushed_live_with_the_unread_count(make, api_as, live_events):  # noqa: F811
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com", "Bo Berg")
    item_id = _post(api_as(ana))

    api_as(bo).post(f"/items/{item_id}/like")

    ((payload, users),) = named(live_events, "notification")
    assert users == {ana.id}
    assert payload["unread_count"] == 1
    assert payload["notification"]["text"] == "Bo Berg liked your post"


def test_muted_item_stops_notifying(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    item_id = _post(api_as(ana))
    assert api_as(ana).post("/mutes", json={"kind": "item", "id": item_id}).status_code == 200

    api_as(bo).post(f"/items/{item_id}/comments", json={"body": "hello?"})

    assert _notes(api_as(ana))["items"] == []
