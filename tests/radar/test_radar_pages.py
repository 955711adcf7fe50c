"""The radar page and the visit form, through the browser-facing routes."""

import re


def test_rep_logs_a_visit_with_the_phone_form_and_her_vp_sees_it_on_the_radar(
    org, signed_in, api_as
):
    ana = signed_in(org.ana)
    form = ana.get(f"/visits/new?account={org.acme.id}").get_data(as_text=True)
    assert 'name="account_id"' in form and 'name="check_in_at"' in form
    response = ana.post(
        "/visits/new",
        data={
            "account_id": str(org.acme.id),
            "deal_id": str(org.deal.id),
            "contacts": "Jane Doe, Li Wei",
            "purpose": "Renewal negotiation",
            "notes": "Budget approved.",
            "check_in_at": "2026-11-23T09:30",
            "tz_offset": "-60",  # the phone is at UTC+1
            "place": "Acme HQ, Berlin",
            "visibility": "team",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/radar")

    [visit] = api_as(org.vp).get("/radar").json["visits"]
    assert visit["rep"]["name"] == "Ana Silva"
    assert visit["contacts"] == ["Jane Doe", "Li Wei"]
    assert visit["deal"]["name"] == "Acme renewal"
    assert visit["checked_in_at"].startswith("2026-11-23T08:30:00")
    assert visit["status"] == "checked_in"

    page = signed_in(org.vp).get("/radar").get_data(as_text=True)
    assert "Ana Silva" in page and "Renewal negotiation" in page and "Acme HQ, Berlin" in page
    assert f'data-visit-id="{visit["id"]}"' in page
    toms = signed_in(org.tom).get("/radar").get_data(as_text=True)
    assert "Renewal negotiation" not in toms


def test_the_form_names_what_is_wrong_and_keeps_what_was_typed(org, signed_in, api_as):
    ana = signed_in(org.ana)
    response = ana.post("/visits/new", data={"account_id": "", "purpose": "Kick-off"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="account_id-error"' in page
    assert 'value="Kick-off"' in page
    wrong_deal = ana.post(
        "/visits/new", data={"account_id": str(org.stark.id), "deal_id": str(org.deal.id)}
    )
    assert wrong_deal.status_code == 422
    assert api_as(org.ana).get("/radar").json["visits"] == []


def test_the_board_fragment_redraws_counts_and_stale_accounts(org, signed_in, log_visit):
    log_visit(org.ana, org.acme, purpose="QBR")
    board = signed_in(org.vp).get(f"/radar/board?team={org.maria.id}&stale_days=7")
    html = board.get_data(as_text=True)
    assert board.status_code == 200
    assert "Key accounts not visited in 7 days" in html
    assert re.search(rf'data-rep-id="{org.ana.id}">.*?data-this-week>1<', html, re.S)
    assert "Stark" in html  # Raj's key account, never visited
    assert signed_in(org.vp).get("/radar?stale_days=abc").status_code == 400
    assert signed_in(org.vp).get("/radar?team=999999").status_code == 404
