"""Posting to a profile, a colleague, a record or a group; safe Markdown; edit and delete."""

from html.parser import HTMLParser

import pytest


class _Elements(HTMLParser):
    """Collect every real element (tag, attributes) of an HTML fragment."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _home(api):
    response = api.get("/feed/home")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_post_on_my_profile_reaches_my_followers_with_rendered_markdown(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    fan = make.user("fan@example.com", "Fay Fan")
    stranger = make.user("stranger@example.com")
    make.follow(fan, ana)

    response = api_as(ana).post("/posts", json={"body": "We **won** the [deal](https://x.test)"})

    assert response.status_code == 201, response.json
    item = response.json
    assert item["verb"] == "post"
    assert item["body"] == "We **won** the [deal](https://x.test)"
    assert item["body_html"] == (
        '<p>We <strong>won</strong> the <a href="https://x.test" rel="noopener nofollow">'
        "deal</a></p>\n"
    )
    assert [i["id"] for i in _home(api_as(fan))] == [item["id"]]
    assert _home(api_as(stranger)) == []


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<svg onload=alert(1)>",
        "<iframe src=https://evil.test></iframe>",
    ],
)
def test_no_script_event_handler_or_javascript_url_survives(make, api_as, body):
    ana = make.user("ana@example.com")

    html = api_as(ana).post("/posts", json={"body": body}).json["body_html"]

    for tag, attrs in _Elements(html).elements:
        assert tag not in ("script", "img", "svg", "iframe"), html
        assert not any(name.startswith("on") for name in attrs), html
        href = attrs.get("href", "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), html
        if tag == "a":
            assert attrs.get("rel") == "noopener nofollow"


def test_post_on_a_colleagues_profile_reaches_them_and_their_followers(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    bo_fan = make.user("bofan@example.com")

    make.follow(bo_fan, bo)
    response = api_as(ana).post(
        "/posts", json={"body": "Welcome aboard!", "target": {"kind": "user", "id": bo.id}}
    )

    assert response.status_code == 201, response.json
    assert response.json["summary"] == "Ana Lima posted on Bo Berg"
    assert [i["id"] for i in _home(api_as(bo))] == [response.json["id"]]
    assert [i["id"] for i in _home(api_as(bo_fan))] == [response.json["id"]]
    profile = api_as(ana).get(f"/users/{bo.id}/feed").json["items"]
    assert [i["id"] for i in profile] == [response.json["id"]]


def test_post_on_a_record_reaches_its_followers_and_its_feed(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Acme renewal", owner=rep, stage="Prospecting")
    make.follow(fan, deal)

    response = api_as(rep).post(
        "/posts", json={"body": "Call went well", "target": {"kind": "record", "id": deal.id}}
    )

    assert response.status_code == 201, response.json
    assert response.json["record_type"] == "opportunity"
    assert response.json["target"]["name"] == "Acme renewal"
    assert _home(api_as(fan))[0]["id"] == response.json["id"]
    record_feed = api_as(fan).get(f"/records/{deal.id}/feed").json["items"]
    assert record_feed[0]["id"] == response.json["id"]


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_post_is_refused_naming_the_body(make, api_as, body):
    ana = make.user("ana@example.com")

    response = api_as(ana).post("/posts", json={"body": body})

    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert "body" in response.json["error"]["fields"]


def test_post_to_unknown_target_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    for kind in ("user", "record", "group"):
        response = api_as(ana).post(
            "/posts", json={"body": "hi", "target": {"kind": kind, "id": 999}}
        )
        assert response.status_code == 404, kind
        assert "target_id" in response.json["error"]["fields"]


def test_author_edits_and_the_item_shows_it_was_edited(make, api_as, live_events):
    ana = make.user("ana@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, ana)
    item_id = api_as(ana).post("/posts", json={"body": "first"}).json["id"]
    assert api_as(ana).get(f"/items/{item_id}").json["edited_at"] is None

    response = api_as(ana).patch(f"/items/{item_id}", json={"body": "second *take*"})

    assert response.status_code == 200, response.json
    assert response.json["body_html"] == "<p>second <em>take</em></p>\n"
    assert response.json["edited_at"] is not None
    assert _home(api_as(fan))[0]["body"] == "second *take*"
    updates = [(p, u) for name, p, u in live_events if name == "item_updated"]
    assert updates and updates[0][0]["item"]["body"] == "second *take*"
    assert fan.id in updates[0][1]


def test_only_the_author_or_an_admin_may_edit_or_delete(make, api_as, live_events):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    admin = make.user("admin@example.com", admin=True)
    item_id = api_as(ana).post("/posts", json={"body": "mine"}).json["id"]

    assert api_as(bo).patch(f"/items/{item_id}", json={"body": "hijack"}).status_code == 403
    assert api_as(bo).delete(f"/items/{item_id}").status_code == 403
    assert api_as(admin).patch(f"/items/{item_id}", json={"body": "moderated"}).status_code == 200
    assert api_as(admin).delete(f"/items/{item_id}").status_code == 204

    assert api_as(ana).get(f"/items/{item_id}").status_code == 404
    assert [p for name, p, _ in live_events if name == "item_deleted"] == [{"item_id": item_id}]


def test_tracked_changes_cannot_be_edited_as_posts(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    make.follow(fan, deal)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    change_id = _home(api_as(fan))[0]["id"]

    response = api_as(rep).patch(f"/items/{change_id}", json={"body": "rewrite history"})

    assert response.status_code == 403


def test_unknown_item_is_not_found_in_the_one_error_shape(make, api_as):
    ana = make.user("ana@example.com")

    response = api_as(ana).get("/items/4242")

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_share_to_my_followers_points_at_the_original(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    bo_fan = make.user("bofan@example.com")
    make.follow(bo_fan, bo)
    original = api_as(ana).post("/posts", json={"body": "Big news"}).json

    response = api_as(bo).post(f"/items/{original['id']}/shares", json={"to": "followers"})

    assert response.status_code == 201, response.json
    assert response.json["verb"] == "share"
    assert response.json["object"]["id"] == original["id"]
    assert response.json["shared"]["body"] == "Big news"
    assert _home(api_as(bo_fan))[0]["id"] == response.json["id"]
    assert _home(api_as(ana))[0]["id"] == response.json["id"]
