"""Reading the home feed re-checks visibility, and hidden items never leave a page short.

Scenario: Ana reports to Vera. Max follows Ana (so he sees her team visits) and Vera. Ana's deal
changes and her client visits reach Vera's and Max's inboxes, interleaved, and Vera shares
one visit with her followers. Then Ana makes every visit private: the visits, and Vera's share
of one, must vanish from Vera's and Max's home feeds, while every page stays full and the
cursors walk the rest exactly once, newest first and (catching up) oldest first.
"""

import pytest

LIMIT = 3


@pytest.fixture
def team(make, api_as):
    vera = make.user("vera@example.com", "Vera Price")
    ana = make.user("ana@example.com", "Ana Silva", manager=vera)
    max_ = make.user("max@example.com", "Max Follower")
    make.follow(max_, ana)
    make.follow(max_, vera)
    acme = make.record("account", "Acme", owner=ana)
    deal = make.record("opportunity", "Acme renewal", owner=ana, account=acme, amount=0)
    make.follow(max_, deal)
    as_ana = api_as(ana)
    amount = iter(range(1, 100))
    visits = []

    def change():
        response = as_ana.patch(f"/records/{deal.id}", json={"fields": {"amount": next(amount)}})
        assert response.status_code == 200, response.json

    def visit():
        response = as_ana.post("/visits", json={"account_id": acme.id, "purpose": "QBR"})
        assert response.status_code == 201, response.json
        visits.append(response.json["id"])

    # More hidden rows in a row than a page holds (a page is topped up twice), and hidden rows
    # at the newest end of the inbox.
    for step in (change, change, visit, visit, visit, visit, visit, change, visit, change, visit):
        step()
    return {"vera": api_as(vera), "max": api_as(max_), "ana": as_ana, "visits": visits}


def _about_a_visit(item, visits):
    shared = item.get("shared") or {}
    return any(
        ref and ref["kind"] == "record" and ref["id"] in visits
        for ref in (item["object"], item["target"], shared.get("object"), shared.get("target"))
    )


def _walk_newest_first(api):
    """Every page of the home feed by cursor: (the items, each page's size, the last page)."""
    items, sizes, cursor = [], [], None
    while True:
        query = {"limit": LIMIT, **({"cursor": cursor} if cursor else {})}
        page = api.get("/feed/home", query_string=query).json
        items += page["items"]
        sizes.append(len(page["items"]))
        assert page["has_more"] is (page["next_cursor"] is not None)
        if not (cursor := page["next_cursor"]):
            return items, sizes


def _walk_oldest_first(api):
    """Every page of the catch-up read (after_seq), oldest first."""
    items, sizes, after = [], [], 0
    while True:
        page = api.get("/feed/home", query_string={"limit": LIMIT, "after_seq": after}).json
        items += page["items"]
        sizes.append(len(page["items"]))
        if not page["has_more"]:
            return items, sizes
        after = page["items"][-1]["seq"]


def _share_first_visit(team):
    vera, visits = team["vera"], team["visits"]
    [item] = [i for i in _walk_newest_first(vera)[0] if i["object"]["id"] == visits[0]]
    response = vera.post(f"/items/{item['id']}/shares", json={"to": "followers"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_visits_made_private_leave_full_pages_and_exact_cursors(team):
    share_id = _share_first_visit(team)
    before = {who: _walk_newest_first(team[who])[0] for who in ("vera", "max")}
    assert share_id in [i["id"] for i in before["max"]]
    for visit_id in team["visits"]:
        response = team["ana"].patch(f"/visits/{visit_id}", json={"visibility": "private"})
        assert response.status_code == 200, response.json

    for who in ("vera", "max"):
        expected = [i["id"] for i in before[who] if not _about_a_visit(i, team["visits"])]
        assert len(before[who]) - len(expected) >= len(team["visits"]) and expected
        newest, sizes = _walk_newest_first(team[who])
        assert [i["id"] for i in newest] == expected
        assert all(size == LIMIT for size in sizes[:-1]) and sizes[-1] <= LIMIT
        oldest, sizes = _walk_oldest_first(team[who])
        assert [i["id"] for i in oldest] == expected[::-1]
        assert all(size == LIMIT for size in sizes[:-1]) and sizes[-1] <= LIMIT
    # Hidden, not lost: Ana, the rep, still reads every one.
    assert {team["ana"].get(f"/visits/{v}").status_code for v in team["visits"]} == {200}


def test_hidden_items_at_the_newest_end_neither_shorten_a_page_nor_linger_after_it(team):
    for visit_id in team["visits"]:
        team["ana"].patch(f"/visits/{visit_id}", json={"visibility": "private"})
    vera = team["vera"]

    first = vera.get("/feed/home", query_string={"limit": LIMIT}).json
    assert len(first["items"]) == LIMIT and first["has_more"] is True
    last_visible = first["items"][0]["seq"]
    after_it = vera.get("/feed/home", query_string={"after_seq": last_visible}).json
    assert after_it == {"items": [], "next_cursor": None, "has_more": False}
