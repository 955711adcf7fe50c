"""Visits from a CRM, signed the Standard Webhooks way: on the radar, with deal and visibility."""

from tests.integrations.support import create_integration, record_event, send_signed


def _crm(org, api_as, client):
    crm = create_integration(api_as, org.admin, name="Field CRM")
    for event in (
        record_event("record.created", "account", "ACC-9", name="Northwind", owner=org.ana.email),
        record_event(
            "record.created", "opportunity", "OPP-9", name="Northwind pilot", account="ACC-9"
        ),
    ):
        response = send_signed(client, crm, event)
        assert response.json["events"][0]["status"] == "processed", response.json
    return crm


def _visit_event(**visit):
    return {
        "type": "visit.logged",
        "actor": visit["rep"],
        "visit": {"account": "ACC-9", "contacts": ["Li Wei"], **visit},
    }


def test_a_signed_visit_with_its_deal_lands_on_the_vps_radar(org, api_as, client):
    crm = _crm(org, api_as, client)
    event = _visit_event(rep=org.ana.email, purpose="Pilot scoping", deal="OPP-9")
    response = send_signed(client, crm, event)
    assert response.status_code == 202, response.json
    assert response.json["events"][0]["status"] == "processed", response.json
    [visit] = api_as(org.vp).get("/radar").json["visits"]
    assert visit["rep"]["name"] == "Ana Silva"
    assert visit["deal"]["name"] == "Northwind pilot"
    assert visit["purpose"] == "Pilot scoping"
    assert visit["visibility"] == "team"
    assert api_as(org.tom).get("/radar", query_string={"team": org.vp.id}).json["visits"] == []


def test_a_signed_private_visit_reaches_no_one_but_the_rep_and_admins(org, api_as, client, make):
    crm = _crm(org, api_as, client)
    make.follow(org.outsider, org.ana)
    response = send_signed(
        client, crm, _visit_event(rep=org.ana.email, purpose="Secret", visibility="private")
    )
    assert response.json["events"][0]["status"] == "processed", response.json
    visit_id = response.json["events"][0]["result"]["record_id"]
    for person in (org.vp, org.maria, org.outsider, org.tom):
        api = api_as(person)
        assert api.get(f"/visits/{visit_id}").status_code == 404
        assert [i for i in api.get("/feed/home").json["items"] if i["record_type"] == "visit"] == []
    assert api_as(org.ana).get(f"/visits/{visit_id}").json["visibility"] == "private"
    assert api_as(org.admin).get(f"/visits/{visit_id}").status_code == 200


def test_a_visit_naming_an_unknown_deal_or_visibility_is_refused(org, api_as, client):
    crm = _crm(org, api_as, client)
    unknown_deal = send_signed(client, crm, _visit_event(rep=org.ana.email, deal="OPP-404"))
    assert unknown_deal.json["events"][0]["status"] == "failed"
    assert "OPP-404" in unknown_deal.json["events"][0]["error"]
    bad = send_signed(client, crm, _visit_event(rep=org.ana.email, visibility="friends"))
    assert bad.status_code == 422
