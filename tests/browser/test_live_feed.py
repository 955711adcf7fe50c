"""In a real browser: sign in, follow a deal, watch its changes arrive live, survive a cut."""

import json
import re

import pytest
import requests

from feedserver.extensions import db
from feedserver.integrations.service import create_integration
from tests.browser.conftest import api
from tests.integrations.support import EVENTS_URL, signed_headers

# Chromium against real server processes: once per CI run, in the SQLite pass.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


def _item_ids(page) -> list[int]:
    return [
        int(i)
        for i in page.locator("[data-feed] .item").evaluate_all(
            "els => els.map(e => e.dataset.itemId)"
        )
    ]


def _seqs(page) -> list[int]:
    return [
        int(s)
        for s in page.locator("[data-feed] .item[data-seq]").evaluate_all(
            "els => els.map(e => e.dataset.seq)"
        )
    ]


def _crm(served_db):
    """An integration (our own webhook format) as an admin would set it up."""
    with served_db.make.app.app_context():
        created = create_integration("Acme CRM")
        db.session.commit()
        return created.signing_secret


def _signed_event(site, secret, event):
    """POST one event to the webhook endpoint, signed the Standard Webhooks way."""
    body = json.dumps(event).encode()
    response = requests.post(
        f"{site.url}{EVENTS_URL}", data=body, headers=signed_headers(secret, body), timeout=10
    )
    assert response.status_code == 202, response.text


def test_follower_sees_a_signed_webhook_change_arrive_without_reload(visit, served_db, site):
    vera = served_db.make.user("vera@example.com", "Vera Price")
    served_db.make.user("sam@example.com", "Sam Rep")
    secret = _crm(served_db)
    deal = {"type": "opportunity", "external_id": "D-1", "name": "Acme renewal"}
    _signed_event(
        site,
        secret,
        {"type": "record.created", "record": {**deal, "fields": {"stage": "Negotiation"}}},
    )
    me = visit().sign_in(vera.email)
    page = me.page
    assert page.get_by_text("Your feed is quiet").is_visible()

    page.get_by_role("link", name="Company").click()
    page.get_by_role("link", name="Acme renewal").first.click()
    page.get_by_role("button", name="Follow", pressed=False).click()
    page.wait_for_selector("text=1 follower")
    assert page.get_by_role("button", name="Follow", pressed=True).is_visible()

    page.get_by_role("link", name="What I follow").click()
    me.wait_until_live()
    page.evaluate("window.__sameDocument = true")
    _signed_event(
        site,
        secret,
        {
            "type": "record.updated",
            "actor": "sam@example.com",
            "record": {**deal, "fields": {"stage": "Closed Won"}},
        },
    )

    item = page.locator("[data-feed] .item").first
    item.wait_for()
    assert "Sam Rep" in item.inner_text()
    assert re.search(r"Stage:\s*Negotiation\s*→\s*Closed Won", item.inner_text())
    assert page.evaluate("window.__sameDocument") is True  # arrived live, no reload
    assert page.locator("[data-feed-empty]").is_hidden()
    assert me.errors == []


def test_feed_resumes_after_the_server_restarts_with_no_gap_and_no_duplicate(
    visit, served_db, site, start_server
):
    vera = served_db.make.user("vera@example.com", "Vera Price")
    rep = served_db.make.user("sam@example.com", "Sam Rep")
    deal = served_db.make.record("opportunity", "Acme renewal", amount=100)
    served_db.make.follow(vera, deal)
    me = visit().sign_in(vera.email)
    page = me.page
    me.wait_until_live()
    api(site, rep.token, "PATCH", f"/records/{deal.id}", json={"fields": {"amount": 200}})
    page.wait_for_selector("[data-feed] .item")

    # Cut: the server the page is connected to goes away; a second process keeps working.
    site.terminate()
    page.wait_for_selector('[data-live-status][data-state="offline"]')
    other = start_server(served_db.url, mode="eventlet")
    for amount in (300, 400, 500):
        api(other, rep.token, "PATCH", f"/records/{deal.id}", json={"fields": {"amount": amount}})

    site.start()  # the same address again: the page reconnects and resumes from its last seq
    # Socket.IO retries with backoff (up to ~7 s between attempts), so allow for a slow restart.
    me.wait_until_live(timeout_ms=90_000)
    page.locator("[data-feed] .item").nth(3).wait_for()
    ids, seqs = _item_ids(page), _seqs(page)
    assert len(ids) == len(set(ids)) == 4
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 4
    texts = page.locator("[data-feed] .item .change-new").all_inner_texts()
    assert texts == ["500", "400", "300", "200"]
    # Only the refused reconnection attempts while the server was down.
    assert [e for e in me.errors if "ERR_CONNECTION_REFUSED" not in e] == []
