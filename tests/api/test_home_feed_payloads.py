"""The home feed shows every kind of item exactly as the item's own endpoint does.

Scenario: Dana follows Raj and the Acme deal. Raj posts a poll (Dana votes), asks a question
(Dana answers; Raj marks it best), shares his poll, posts on the deal, and the deal changes.
Dana likes the question and bookmarks the share. Each home-feed item must equal
GET /items/<id> for it, plus Dana's seq and read state.
"""

import pytest


@pytest.fixture
def dana_home(make, api_as):
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    acme = make.record("account", "Acme", owner=raj)
    deal = make.record("opportunity", "Acme deal", owner=raj, account=acme, actor=raj, amount=0)
    make.follow(dana, raj)
    make.follow(dana, deal)
    as_raj, as_dana = api_as(raj), api_as(dana)
    poll = as_raj.post(
        "/posts", json={"body": "Lunch?", "poll": {"choices": ["Pizza", "Sushi"]}}
    ).json
    as_dana.post(f"/items/{poll['id']}/vote", json={"choice_id": poll["poll"]["choices"][1]["id"]})
    question = as_raj.post("/posts", json={"body": "Who knows Acme?", "question": True}).json
    answer = as_dana.post(f"/items/{question['id']}/comments", json={"body": "I do"}).json
    as_raj.post(f"/items/{question['id']}/best-answer", json={"comment_id": answer["id"]})
    share = as_raj.post(f"/items/{poll['id']}/shares", json={"to": "followers"}).json
    as_raj.post("/posts", json={"body": "Call booked", "target": {"kind": "record", "id": deal.id}})
    as_raj.patch(f"/records/{deal.id}", json={"fields": {"amount": 120000}})
    as_dana.post(f"/items/{question['id']}/like")
    as_dana.post(f"/items/{share['id']}/bookmark")
    return as_dana


def test_every_home_item_is_the_item_as_its_own_endpoint_shows_it(dana_home):
    page = dana_home.get("/feed/home")
    assert page.status_code == 200, page.json
    items = page.json["items"]

    verbs = {item["verb"] for item in items}
    assert {"post", "question", "share", "update"} <= verbs
    for item in items:
        alone = dana_home.get(f"/items/{item['id']}").json
        home_only = {key: item.pop(key) for key in ("seq", "read_at")}
        assert item == alone
        assert isinstance(home_only["seq"], int) and home_only["read_at"] is None


def test_my_own_state_and_the_conversation_show_on_the_home_feed(dana_home):
    items = dana_home.get("/feed/home").json["items"]
    by_body = {item["body"]: item for item in items if item["body"]}
    [share] = [item for item in items if item["verb"] == "share"]
    [change] = [item for item in items if item["verb"] == "update"]

    poll, question = by_body["Lunch?"], by_body["Who knows Acme?"]
    assert [choice["votes"] for choice in poll["poll"]["choices"]] == [0, 1]
    assert poll["viewer"]["vote"] == poll["poll"]["choices"][1]["id"]
    assert question["viewer"] == {"liked": True, "bookmarked": False, "vote": None}
    assert question["best_answer_comment_id"] is not None
    assert share["viewer"]["bookmarked"] is True
    assert share["shared"]["poll"]["total_votes"] == 1
    assert by_body["Call booked"]["target"]["name"] == "Acme deal"
    assert change["object"]["name"] == "Acme deal" and change["object"]["type"] == "opportunity"
