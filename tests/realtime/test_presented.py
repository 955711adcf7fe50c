"""Catch-up pages share each item's presented form across readers, yet match HTTP at every read."""

import json

from feedserver.extensions import db
from feedserver.models import User
from feedserver.realtime.encoding import dumps
from feedserver.realtime.streams import FeedStream


def _page(app, user_id, after):
    sent = []
    stream = FeedStream(app, "sid-under-test", user_id, send=lambda *event: sent.append(event))
    stream._spawn = lambda generation, *, as_pages: stream._catch_up(generation, as_pages)
    stream.resume(after)
    (event, data, _sid), *_ = sent
    assert event == "feed_page"
    # As the client reads it: the packet's JSON module writes each item's encoded text, byte
    # for byte what encoding the items as dicts would have written.
    wire = dumps(data["items"], separators=(",", ":"))
    items = json.loads(wire)
    assert wire == json.dumps(items, separators=(",", ":"))
    return items


def test_two_readers_then_a_like_each_page_is_what_http_answers_then(make, app, api_as):
    raj = make.user("raj@example.com", "Raj Patel")
    dana, lee = make.user("dana@example.com", "Dana Fan"), make.user("lee@example.com", "Lee Wu")
    deal = make.record("opportunity", "Acme renewal", owner=raj, amount=0)
    for follower in (dana, lee):
        make.follow(follower, deal)
    for n in (1, 2, 3):
        api_as(raj).patch(f"/records/{deal.id}", json={"fields": {"amount": n}})

    def over_http(user):
        return api_as(user).get("/feed/home?after_seq=0&limit=100").get_json()["items"]

    assert _page(app, dana.id, 0) == over_http(dana)
    assert _page(app, lee.id, 0) == over_http(lee)

    # Lee likes the newest item and Raj renames the deal: both show on the next pages.
    newest = over_http(lee)[-1]["id"]
    assert api_as(lee).post(f"/items/{newest}/like").status_code == 200
    assert (
        api_as(raj).patch(f"/records/{deal.id}", json={"name": "Acme renewal 2027"}).status_code
        == 200
    )

    dana_page, lee_page = _page(app, dana.id, 0), _page(app, lee.id, 0)
    assert dana_page == over_http(dana) and lee_page == over_http(lee)
    liked = {item["id"]: item for item in lee_page}[newest]
    assert liked["like_count"] == 1 and liked["viewer"]["liked"] is True
    assert {item["id"]: item for item in dana_page}[newest]["viewer"]["liked"] is False
    assert "Acme renewal 2027" in lee_page[0]["summary"]


def test_a_renamed_actor_shows_on_the_next_catch_up_page_as_over_http(make, app, api_as):
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    deal = make.record("opportunity", "Acme renewal", owner=raj, amount=0)
    make.follow(dana, deal)
    assert (
        api_as(raj).patch(f"/records/{deal.id}", json={"fields": {"amount": 1}}).status_code == 200
    )
    before = [item for item in _page(app, dana.id, 0) if item["actor"]]

    # Raj's name changes, not the item: the item's kept form must not be reused as it was.
    with app.app_context():
        db.session.get(User, raj.id).name = "Raj Kumar"
        db.session.commit()
    page = _page(app, dana.id, 0)

    assert page == api_as(dana).get("/feed/home?after_seq=0&limit=100").get_json()["items"]
    assert [item["actor"]["name"] for item in before] == ["Raj Patel"]
    renamed = [item for item in page if item["actor"]]
    assert [(item["actor"]["name"], item["actor"]["initials"]) for item in renamed] == [
        ("Raj Kumar", "RK")
    ]
    assert renamed[0]["summary"].startswith("Raj Kumar ")
