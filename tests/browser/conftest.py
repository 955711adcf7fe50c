"""Chromium driven by Playwright against a real server process (wsgi.py on a free port).

Browser tests run once per suite: in the SQLite pass (a file database the test process and the
server share). The PostgreSQL pass skips them; the database paths they exercise are covered by
the API and realtime suites on both backends.
"""

import os
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

from tests.conftest import require_service
from tests.realtime import conftest as realtime_fixtures

# The realtime suite's server-process fixtures, shared rather than copied.
served_db = realtime_fixtures.served_db
start_server = realtime_fixtures.start_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 30_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    require_service(
        os.access(CHROMIUM, os.X_OK), "Chromium at /usr/bin/chromium (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(browser, served_db, start_server):
    """A running server on the served database."""
    return start_server(served_db.url, mode="eventlet")


class Visitor:
    """One person in their own browser context (cookies, tabs), with console errors kept."""

    def __init__(self, browser, base_url: str, viewport=DESKTOP):
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, base_url=base_url)
        self.context.set_default_timeout(WAIT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def sign_in(self, email: str, password: str = "secret") -> "Visitor":
        self.page.goto("/login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{self.base_url}/")
        return self

    def wait_until_live(self, timeout_ms: float = WAIT_MS) -> None:
        self.page.wait_for_selector('[data-live-status][data-state="live"]', timeout=timeout_ms)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, site):
    """visit(viewport=...) → a Visitor on the running site; contexts closed in teardown."""
    opened: list[Visitor] = []

    def open_visitor(viewport=DESKTOP) -> Visitor:
        visitor = Visitor(browser, site.url, viewport)
        opened.append(visitor)
        return visitor

    yield open_visitor
    for visitor in opened:
        visitor.close()


def api(site, token: str, method: str, path: str, **kwargs):
    """Call the running server's JSON API with a bearer token, as an integration would."""
    response = requests.request(
        method,
        f"{site.url}/api/v1{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
        **kwargs,
    )
    assert response.status_code < 400, response.text
    return response.json() if response.content else None
