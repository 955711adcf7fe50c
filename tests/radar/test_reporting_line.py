"""The reporting line is a feed source: managers get their reports' changes without following."""


def _home(api):
    return api.get("/feed/home").json["items"]


def test_a_deal_change_by_a_rep_reaches_every_manager_above_without_a_follow(org, api_as):
    response = api_as(org.ana).patch(
        f"/records/{org.deal.id}", json={"fields": {"stage": "Negotiation"}}
    )
    assert response.status_code == 200, response.json
    for manager in (org.maria, org.vp):
        [item] = [i for i in _home(api_as(manager)) if i["verb"] == "update"]
        assert item["object"]["id"] == org.deal.id
        assert {"field": "stage", "old": "Proposal", "new": "Negotiation"} in item["changes"]
    for outside in (org.tom, org.lena, org.raj):
        assert [i for i in _home(api_as(outside)) if i["verb"] == "update"] == []


def test_a_change_by_an_integration_reaches_the_owners_managers(org, api_as, make):
    # The foundation's factory acts as nobody: only the record's owner ties it to a team.
    make.record("opportunity", "Stark expansion", owner=org.raj, account=org.stark)
    [item] = [i for i in _home(api_as(org.vp)) if i["object"]["name"] == "Stark expansion"]
    assert item["verb"] == "create"
    assert [i for i in _home(api_as(org.tom)) if i["object"]["name"] == "Stark expansion"] == []


def test_team_feed_narrows_to_one_sub_team(org, api_as, log_visit):
    api_as(org.ana).patch(f"/records/{org.deal.id}", json={"fields": {"amount": 120000}})
    log_visit(org.ana, org.acme, purpose="QBR")
    log_visit(org.lena, org.globex, purpose="Demo")
    vp = api_as(org.vp)
    maria_team = vp.get("/radar/feed", query_string={"team": org.maria.id}).json["items"]
    assert {i["object"]["name"] for i in maria_team} >= {"Acme renewal"}
    assert all(i["object"]["name"] != "Globex" for i in maria_team)
    assert "Globex" not in {(i.get("target") or {}).get("name") for i in maria_team}
    visits = vp.get("/radar/feed", query_string={"team": org.tom.id, "record_type": "visit"}).json[
        "items"
    ]
    assert [i["target"]["name"] for i in visits] == ["Globex"]
    # Tom asking for Maria's team sees nothing of her team's team visits.
    toms_view = api_as(org.tom).get(
        "/radar/feed", query_string={"team": org.maria.id, "record_type": "visit"}
    )
    assert toms_view.json["items"] == []
