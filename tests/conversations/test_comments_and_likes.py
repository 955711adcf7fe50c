"""Comments on any item, likes on items and comments, counts, who liked, live events."""

from tests.conversations.conftest import named


def _post(api, body="Hello team"):
    response = api.post("/posts", json={"body": body})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_comment_on_a_tracked_change_counts_and_pushes_live(make, api_as, live_events):
    rep = make.user("rep@example.com", "Raj Patel")
    fan = make.user("fan@example.com", "Fay Fan")
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    make.follow(fan, deal)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    change = api_as(fan).get("/feed/home").json["items"][0]

    response = api_as(fan).post(f"/items/{change['id']}/comments", json={"body": "Nice **one**"})

    assert response.status_code == 201, response.json
    assert response.json["body_html"] == "<p>Nice <strong>one</strong></p>\n"
    assert response.json["author"]["name"] == "Fay Fan"
    listed = api_as(rep).get(f"/items/{change['id']}/comments").json["items"]
    assert [c["body"] for c in listed] == ["Nice **one**"]
    assert api_as(rep).get(f"/items/{change['id']}").json["comment_count"] == 1
    ((payload, users),) = named(live_events, "comment_added")
    assert payload["item_id"] == change["id"]
    assert payload["comment_count"] == 1
    assert payload["comment"]["body"] == "Nice **one**"
    assert fan.id in users


def test_empty_comment_is_refused_naming_the_body(make, api_as):
    ana = make.user("ana@example.com")
    item_id = _post(api_as(ana))

    response = api_as(ana).post(f"/items/{item_id}/comments", json={"body": " "})

    assert response.status_code == 422
    assert "body" in response.json["error"]["fields"]


def test_comment_on_unknown_item_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).post("/items/999/comments", json={"body": "hi"}).status_code == 404


def test_comments_page_oldest_first(make, api_as):
    ana = make.user("ana@example.com")
    item_id = _post(api_as(ana))
    for n in range(3):
        api_as(ana).post(f"/items/{item_id}/comments", json={"body": f"c{n}"})

    first = api_as(ana).get(f"/items/{item_id}/comments?limit=2").json
    second = (
        api_as(ana).get(f"/items/{item_id}/comments?limit=2&cursor={first['next_cursor']}").json
    )

    assert [c["body"] for c in first["items"]] == ["c0", "c1"]
    assert [c["body"] for c in second["items"]] == ["c2"]
    assert second["next_cursor"] is None


def test_only_comment_author_or_admin_edits_or_deletes_it(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    admin = make.user("admin@example.com", admin=True)
    item_id = _post(api_as(ana))
    comment_id = api_as(bo).post(f"/items/{item_id}/comments", json={"body": "x"}).json["id"]

    assert api_as(ana).patch(f"/comments/{comment_id}", json={"body": "y"}).status_code == 403
    edited = api_as(bo).patch(f"/comments/{comment_id}", json={"body": "y"})
    assert edited.status_code == 200 and edited.json["edited_at"] is not None
    assert api_as(ana).delete(f"/comments/{comment_id}").status_code == 403
    assert api_as(admin).delete(f"/comments/{comment_id}").status_code == 204

    assert api_as(ana).get(f"/items/{item_id}/comments").json["items"] == []
    assert api_as(ana).get(f"/items/{item_id}").json["comment_count"] == 0


def test_likes_count_once_per_person_and_show_who_liked(make, api_as, live_events):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    cy = make.user("cy@example.com", "Cy Chen")
    item_id = _post(api_as(ana))

    assert api_as(bo).post(f"/items/{item_id}/like").json == {"liked": True, "like_count": 1}
    assert api_as(bo).post(f"/items/{item_id}/like").json == {"liked": True, "like_count": 1}
    assert api_as(cy).post(f"/items/{item_id}/like").json == {"liked": True, "like_count": 2}

    item = api_as(bo).get(f"/items/{item_id}").json
    assert item["like_count"] == 2
    assert item["viewer"]["liked"] is True
    assert api_as(ana).get(f"/items/{item_id}").json["viewer"]["liked"] is False
    likers = api_as(ana).get(f"/items/{item_id}/likes").json["items"]
    assert [u["name"] for u in likers] == ["Cy Chen", "Bo Berg"]

    assert api_as(bo).delete(f"/items/{item_id}/like").json == {"liked": False, "like_count": 1}
    changes = [p for p, _ in named(live_events, "like_changed")]
    assert [(c["user_id"], c["liked"], c["like_count"]) for c in changes] == [
        (bo.id, True, 1),
        (cy.id, True, 2),
        (bo.id, False, 1),
    ]


def test_like_a_comment(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com", "Bo Berg")
    item_id = _post(api_as(ana))
    comment_id = api_as(ana).post(f"/items/{item_id}/comments", json={"body": "x"}).json["id"]

    assert api_as(bo).post(f"/comments/{comment_id}/like").json["like_count"] == 1

    listed = api_as(bo).get(f"/items/{item_id}/comments").json["items"]
    assert listed[0]["like_count"] == 1 and listed[0]["liked_by_me"] is True
    likers = api_as(ana).get(f"/comments/{comment_id}/likes").json["items"]
    assert [u["name"] for u in likers] == ["Bo Berg"]
    assert api_as(ana).get(f"/items/{item_id}").json["like_count"] == 0


def test_like_unknown_comment_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).post("/comments/999/like").status_code == 404
