"""Polls (2–10 choices, one changeable vote each, live results) and best answers."""

import pytest

from tests.conversations.conftest import named


def _poll(api, choices=("Yes", "No")):
    response = api.post("/posts", json={"body": "Ship it?", "poll": {"choices": list(choices)}})
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.parametrize(
    "choices", [["Only one"], [f"c{n}" for n in range(11)], ["a", " "], ["a", "A"]]
)
def test_poll_needs_two_to_ten_distinct_choices(make, api_as, choices):
    ana = make.user("ana@example.com")

    response = api_as(ana).post("/posts", json={"body": "?", "poll": {"choices": choices}})

    assert response.status_code == 422
    assert "poll.choices" in response.json["error"]["fields"]
    assert api_as(ana).get("/feed/company").json["items"] == []


def test_one_vote_per_person_changeable_and_idempotent_with_live_results(make, api_as, live_events):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    poll = _poll(api_as(ana))
    yes, no = (c["id"] for c in poll["poll"]["choices"])
    url = f"/items/{poll['id']}/vote"

    assert api_as(bo).post(url, json={"choice_id": yes}).json["total_votes"] == 1
    assert api_as(bo).post(url, json={"choice_id": yes}).json["total_votes"] == 1
    changed = api_as(bo).post(url, json={"choice_id": no}).json
    assert [c["votes"] for c in changed["choices"]] == [0, 1]
    api_as(ana).post(url, json={"choice_id": no})

    item = api_as(bo).get(f"/items/{poll['id']}").json
    assert item["poll"]["total_votes"] == 2
    assert item["viewer"]["vote"] == no
    pushes = [p for p, _ in named(live_events, "poll_changed")]
    assert [[c["votes"] for c in p["poll"]["choices"]] for p in pushes] == [[1, 0], [0, 1], [0, 2]]
    assert api_as(bo).delete(url).json["total_votes"] == 1


def test_vote_for_a_choice_of_another_poll_is_invalid(make, api_as):
    ana = make.user("ana@example.com")
    first, second = _poll(api_as(ana)), _poll(api_as(ana))

    response = api_as(ana).post(
        f"/items/{first['id']}/vote", json={"choice_id": second["poll"]["choices"][0]["id"]}
    )

    assert response.status_code == 422
    assert "choice_id" in response.json["error"]["fields"]


def test_vote_on_an_item_without_poll_is_not_found(make, api_as):
    ana = make.user("ana@example.com")
    item_id = api_as(ana).post("/posts", json={"body": "no poll"}).json["id"]

    assert api_as(ana).post(f"/items/{item_id}/vote", json={"choice_id": 1}).status_code == 404


def test_asker_marks_the_best_answer_and_its_author_hears(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com")
    question = api_as(ana).post("/posts", json={"body": "Who owns Acme?", "question": True}).json
    assert question["verb"] == "question"
    answer = api_as(bo).post(f"/items/{question['id']}/comments", json={"body": "Raj"}).json

    response = api_as(ana).post(
        f"/items/{question['id']}/best-answer", json={"comment_id": answer["id"]}
    )

    assert response.status_code == 200, response.json
    assert response.json["best_answer_comment_id"] == answer["id"]
    texts = [n["text"] for n in api_as(bo).get("/notifications").json["items"]]
    assert "Ana Lima marked your answer as the best answer" in texts


def test_best_answer_rules(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    question = api_as(ana).post("/posts", json={"body": "Q?", "question": True}).json["id"]
    other = api_as(ana).post("/posts", json={"body": "Other"}).json["id"]
    answer = api_as(bo).post(f"/items/{question}/comments", json={"body": "A"}).json["id"]
    stray = api_as(bo).post(f"/items/{other}/comments", json={"body": "B"}).json["id"]
    url = f"/items/{question}/best-answer"

    assert api_as(bo).post(url, json={"comment_id": answer}).status_code == 403
    wrong_item = api_as(ana).post(url, json={"comment_id": stray})
    assert wrong_item.status_code == 422 and "comment_id" in wrong_item.json["error"]["fields"]
    assert api_as(ana).post(url, json={"comment_id": 999}).status_code == 404
    not_a_question = api_as(ana).post(f"/items/{other}/best-answer", json={"comment_id": stray})
    assert not_a_question.status_code == 422
