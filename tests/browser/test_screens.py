"""The demo organisation's main screens at desktop and phone widths, saved as artifacts."""

import pytest

from feedserver.demo.seed import seed
from feedserver.extensions import db
from tests.browser.conftest import DESKTOP, PHONE

# Chromium against real server processes: once per CI run, in the SQLite pass.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.fixture
def demo(served_db):
    with served_db.make.app.app_context():
        seed()
        db.session.commit()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_home_record_and_person_pages_fit_the_screen(demo, visit, width):
    me = visit(DESKTOP if width == "desktop" else PHONE).sign_in("vp@example.com", "demo")
    page = me.page
    me.wait_until_live()
    assert page.locator("[data-feed] .item").count() > 5
    screens = {"home": page.url}
    screens["record"] = page.locator(".item-object a[href^='/records/']").first.get_attribute(
        "href"
    )
    screens["person"] = page.locator(".item-actor[href^='/people/']").first.get_attribute("href")
    for name, url in screens.items():
        page.goto(url)
        page.locator("h1").first.wait_for()
        # Nothing sticks out sideways: the page scrolls only vertically on a phone too.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        me.shot(f"{name}-{width}")
    assert me.errors == []
