"""In Chromium on the demo organisation: the VP's radar comes alive as reps log visits."""

import json

import pytest
import requests

from feedserver.demo.seed import seed
from feedserver.extensions import db
from feedserver.integrations.service import create_integration
from tests.browser.conftest import PHONE
from tests.integrations.support import EVENTS_URL, signed_headers

# Chromium against real server processes: once per CI run, in the SQLite pass.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

DEMO_PASSWORD = "demo"


@pytest.fixture
def demo(served_db):
    with served_db.make.app.app_context():
        seed()
        db.session.commit()


def _crm_secret(served_db) -> str:
    with served_db.make.app.app_context():
        created = create_integration("Field CRM")
        db.session.commit()
        return created.signing_secret


def _signed_event(site, secret, event) -> dict:
    """POST one event of our format, signed the Standard Webhooks way."""
    body = json.dumps(event).encode()
    response = requests.post(
        f"{site.url}{EVENTS_URL}", data=body, headers=signed_headers(secret, body), timeout=10
    )
    assert response.status_code == 202, response.text
    assert response.json()["events"][0]["status"] == "processed", response.text
    return response.json()["events"][0]


def _open_radar(visitor):
    visitor.page.goto("/radar")
    visitor.page.wait_for_selector("[data-radar-board][data-radar-live]")
    visitor.page.evaluate("window.__sameDocument = true")
    return visitor.page


def _wall(page, text):
    return page.locator("[data-radar-visits] .radar-visit", has_text=text)


def test_vp_radar_shows_visits_logged_by_form_and_by_webhook_without_reload(
    demo, visit, site, served_db
):
    vp = visit().sign_in("vp@example.com", DEMO_PASSWORD)
    tom = visit().sign_in("tom.becker@example.com", DEMO_PASSWORD)
    maria = visit().sign_in("maria.lopez@example.com", DEMO_PASSWORD)
    vp_page, tom_page, maria_page = _open_radar(vp), _open_radar(tom), _open_radar(maria)

    # Ana (Maria's team) logs a visit on her phone with the web form.
    ana = visit(PHONE).sign_in("ana.silva@example.com", DEMO_PASSWORD)
    form = ana.page
    form.goto("/radar")
    form.get_by_role("link", name="Log a visit").click()
    form.get_by_label("Account", exact=True).select_option(label="Acme Manufacturing")
    form.get_by_label("Contacts met").fill("Priya Nair, Jonas Berg")
    form.get_by_label("Purpose").fill("Plant tour with the COO")
    form.get_by_label("Notes").fill("Wants a pilot in Q1.")
    form.get_by_label("Place (optional)").fill("Acme plant, Detroit")
    form.get_by_role("button", name="Log visit").click()
    form.wait_for_url(f"{site.url}/radar")
    assert form.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    card = _wall(vp_page, "Plant tour with the COO")
    card.wait_for()
    assert "Ana Silva" in card.inner_text()
    assert "Acme Manufacturing" in card.inner_text()
    assert "Acme plant, Detroit" in card.inner_text()
    _wall(maria_page, "Plant tour with the COO").wait_for()

    # Lena (Tom's team) logs one through the CRM integration, signed.
    secret = _crm_secret(served_db)
    _signed_event(
        site,
        secret,
        {
            "type": "record.created",
            "record": {
                "type": "account",
                "external_id": "ACC-77",
                "name": "Northwind Traders",
                "owner": "lena.fischer@example.com",
                "fields": {"tier": "Key"},
            },
        },
    )
    _signed_event(
        site,
        secret,
        {
            "type": "visit.logged",
            "actor": "lena.fischer@example.com",
            "visit": {
                "account": "ACC-77",
                "rep": "lena.fischer@example.com",
                "contacts": ["Hannah Schmidt"],
                "purpose": "Renewal kick-off at Northwind",
            },
        },
    )
    webhook_card = _wall(vp_page, "Renewal kick-off at Northwind")
    webhook_card.wait_for()
    assert "Lena Fischer" in webhook_card.inner_text()
    _wall(tom_page, "Renewal kick-off at Northwind").wait_for()
    assert vp_page.evaluate("window.__sameDocument") is True  # arrived live, no reload

    # Each manager sees only their own team's team visits, live or after a reload.
    for page, foreign in ((tom_page, "Plant tour with the COO"), (maria_page, "Northwind")):
        page.reload()
        page.wait_for_selector("[data-radar-board][data-radar-live]")
        assert _wall(page, foreign).count() == 0
    vp.shot("radar-desktop")
    assert vp.errors == [] and tom.errors == [] and maria.errors == [] and ana.errors == []


def test_a_private_visit_never_reaches_the_vps_radar(demo, visit, site):
    vp = visit().sign_in("vp@example.com", DEMO_PASSWORD)
    vp_page = _open_radar(vp)
    raj = visit(PHONE).sign_in("raj.patel@example.com", DEMO_PASSWORD)
    form = raj.page
    form.goto("/visits/new")
    form.get_by_label("Account", exact=True).select_option(index=1)
    form.get_by_label("Purpose").fill("Confidential pricing talk")
    form.get_by_label("Who can see it").select_option("private")
    form.get_by_role("button", name="Log visit").click()
    form.wait_for_url(f"{site.url}/radar")
    _wall(form, "Confidential pricing talk").wait_for()  # on his own radar
    # A later public visit arrives; the private one before it never did.
    form.goto("/visits/new")
    form.get_by_label("Account", exact=True).select_option(index=1)
    form.get_by_label("Purpose").fill("Public follow-up")
    form.get_by_role("button", name="Log visit").click()
    _wall(vp_page, "Public follow-up").wait_for()
    assert _wall(vp_page, "Confidential pricing talk").count() == 0
    vp_page.reload()
    assert _wall(vp_page, "Confidential pricing talk").count() == 0
    assert vp.errors == [] and raj.errors == []
