"""Reps log visits over the API, check in and out; the reporting line sees them, others not."""


def _home(api):
    return api.get("/feed/home").json["items"]


def _put(api, path, body):
    return api.client.put("/api/v1" + path, json=body, headers=api._headers(None))


def _visit_items(api):
    return [i for i in _home(api) if i["record_type"] == "visit"]


def test_rep_logs_a_visit_and_her_whole_management_chain_gets_it(org, api_as, log_visit):
    visit = log_visit(
        org.ana,
        org.acme,
        deal_id=org.deal.id,
        contacts=["Jane Doe (CFO)"],
        purpose="Renewal negotiation",
        notes="Budget approved.",
    )
    assert visit["rep"]["name"] == "Ana Silva"
    assert visit["account"]["name"] == "Acme"
    assert visit["deal"]["name"] == "Acme renewal"
    assert visit["visibility"] == "team"
    assert visit["status"] == "completed"
    assert visit["contacts"] == ["Jane Doe (CFO)"]
    for manager in (org.maria, org.vp):
        [item] = _visit_items(api_as(manager))
        assert item["object"]["id"] == visit["id"]
        assert item["target"]["id"] == org.acme.id
        assert api_as(manager).get(f"/visits/{visit['id']}").status_code == 200
    for stranger in (org.tom, org.lena, org.raj, org.outsider):
        assert _visit_items(api_as(stranger)) == []
        assert api_as(stranger).get(f"/visits/{visit['id']}").status_code == 404
        assert api_as(stranger).get(f"/records/{visit['id']}").status_code == 404


def test_manager_of_another_team_sees_a_team_visit_only_by_following_the_rep(
    org, api_as, make, log_visit
):
    make.follow(org.tom, org.ana)
    visit = log_visit(org.ana, org.acme, purpose="QBR")
    [item] = _visit_items(api_as(org.tom))
    assert item["object"]["id"] == visit["id"]
    assert _visit_items(api_as(org.lena)) == []


def test_private_visit_reaches_nobody_but_its_rep_and_admins(org, api_as, make, log_visit):
    make.follow(org.outsider, org.ana)
    make.follow(org.tom, org.acme)
    visit = log_visit(org.ana, org.acme, purpose="Confidential", visibility="private")
    everyone_else = (org.vp, org.maria, org.tom, org.raj, org.lena, org.outsider)
    for person in everyone_else:
        api = api_as(person)
        assert _visit_items(api) == []
        assert api.get(f"/visits/{visit['id']}").status_code == 404
        assert api.get(f"/records/{visit['id']}").status_code == 404
        assert visit["id"] not in [r["id"] for r in api.get("/records?type=visit").json["items"]]
        assert api.get(f"/records/{org.acme.id}/feed").json["items"] == [
            i
            for i in api.get(f"/records/{org.acme.id}/feed").json["items"]
            if i["record_type"] != "visit"
        ]
        assert api.get("/radar", query_string={"team": org.vp.id}).json["visits"] == []
        # Following it or posting on it must not reveal that it exists either.
        follow = api.post("/follows", json={"kind": "record", "id": visit["id"]})
        post = api.post(
            "/posts", json={"body": "hi", "target": {"kind": "record", "id": visit["id"]}}
        )
        assert (follow.status_code, post.status_code) == (404, 404)
    assert api_as(org.admin).get(f"/visits/{visit['id']}").status_code == 200
    assert api_as(org.ana).get(f"/visits/{visit['id']}").status_code == 200
    admin_radar = api_as(org.admin).get("/radar", query_string={"team": org.vp.id}).json
    assert [v["id"] for v in admin_radar["visits"]] == [visit["id"]]


def test_making_a_visit_private_later_hides_what_was_already_delivered(org, api_as, log_visit):
    visit = log_visit(org.ana, org.acme, purpose="QBR")
    assert len(_visit_items(api_as(org.vp))) == 1
    response = api_as(org.ana).patch(f"/visits/{visit['id']}", json={"visibility": "private"})
    assert response.status_code == 200, response.json
    assert _visit_items(api_as(org.vp)) == []
    assert (
        api_as(org.maria)
        .patch(f"/visits/{visit['id']}", json={"visibility": "company"})
        .status_code
        == 404
    )


def test_company_visit_is_seen_by_everyone_and_a_leaders_reports_see_their_visits(
    org, api_as, make, log_visit
):
    make.follow(org.ana, org.vp)
    make.follow(org.lena, org.vp)
    visit = log_visit(org.vp, org.globex, purpose="Executive sponsor meeting")
    # A team visit of the leader: the people below who follow her see it.
    assert [i["object"]["id"] for i in _visit_items(api_as(org.ana))] == [visit["id"]]
    assert [i["object"]["id"] for i in _visit_items(api_as(org.lena))] == [visit["id"]]
    assert api_as(org.outsider).get(f"/visits/{visit['id']}").status_code == 404
    api_as(org.vp).patch(f"/visits/{visit['id']}", json={"visibility": "company"})
    assert api_as(org.outsider).get(f"/visits/{visit['id']}").status_code == 200


def test_check_in_then_check_out_moves_the_visit_along_and_tells_the_chain(org, api_as, log_visit):
    visit = log_visit(org.ana, org.acme, check_in_at="2026-11-23T09:00:00Z", place="Acme HQ")
    assert visit["status"] == "checked_in"
    assert visit["place"] == "Acme HQ"
    ana = api_as(org.ana)
    assert ana.post(f"/visits/{visit['id']}/check-in", json={}).status_code == 409
    bad = ana.post(f"/visits/{visit['id']}/check-out", json={"at": "2026-11-23T08:00:00Z"})
    assert bad.status_code == 422
    assert api_as(org.maria).post(f"/visits/{visit['id']}/check-out", json={}).status_code == 403
    done = ana.post(
        f"/visits/{visit['id']}/check-out",
        json={"at": "2026-11-23T10:30:00Z", "outcome": "Follow-up demo booked"},
    )
    assert done.status_code == 200, done.json
    assert done.json["status"] == "completed"
    assert done.json["checked_out_at"].startswith("2026-11-23T10:30:00")
    latest = _visit_items(api_as(org.vp))[0]
    assert latest["verb"] == "update"
    assert {"field": "status", "old": "checked_in", "new": "completed"} in latest["changes"]
    assert ana.post(f"/visits/{visit['id']}/check-out", json={}).status_code == 409


def test_a_planned_visit_is_checked_in_later(org, api_as, log_visit):
    visit = log_visit(org.ana, org.acme, visited_at="2099-01-05T09:00:00Z")
    assert visit["status"] == "planned"
    ana = api_as(org.ana)
    assert ana.post(f"/visits/{visit['id']}/check-out", json={}).status_code == 409
    arrived = ana.post(f"/visits/{visit['id']}/check-in", json={"place": "Lobby"})
    assert arrived.status_code == 200, arrived.json
    assert arrived.json["status"] == "checked_in"
    assert arrived.json["place"] == "Lobby"


def test_bad_visits_are_refused_with_the_field_named(org, api_as):
    ana = api_as(org.ana)
    not_account = ana.post("/visits", json={"account_id": org.deal.id})
    assert not_account.status_code == 422
    assert "account_id" in not_account.json["error"]["fields"]
    other_deal = ana.post("/visits", json={"account_id": org.stark.id, "deal_id": org.deal.id})
    assert other_deal.status_code == 422
    assert "deal" in other_deal.json["error"]["fields"]
    naive = ana.post("/visits", json={"account_id": org.acme.id, "visited_at": "2026-01-01T10:00"})
    assert naive.status_code == 422
    unknown = ana.post("/visits", json={"account_id": org.acme.id, "visibility": "friends"})
    assert unknown.status_code == 422
    assert api_as(None).post("/visits", json={"account_id": org.acme.id}).status_code == 401


def test_only_an_admin_turns_off_visit_sharing_and_then_managers_get_no_visits(
    org, api_as, log_visit
):
    path = f"/users/{org.ana.id}/visit-sharing"
    assert api_as(org.ana).get(path).json["share_visits_with_managers"] is True
    off = {"share_visits_with_managers": False}
    for not_admin in (org.ana, org.maria):
        assert _put(api_as(not_admin), path, off).status_code == 403
    response = _put(api_as(org.admin), path, off)
    assert response.status_code == 200, response.json
    assert response.json["share_visits_with_managers"] is False
    visit = log_visit(org.ana, org.acme, purpose="QBR")
    assert _visit_items(api_as(org.maria)) == []
    assert _visit_items(api_as(org.vp)) == []
    assert api_as(org.vp).get("/radar").json["visits"] == []
    # Still visible to her line when they look for it; only the automatic delivery stops.
    assert api_as(org.maria).get(f"/visits/{visit['id']}").status_code == 200
