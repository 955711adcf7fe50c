"""Two colleagues in two browsers: likes, comments, mention autocomplete and the bell, live."""

import pytest

from tests.browser.conftest import api

# Chromium against real server processes: once per CI run, in the SQLite pass.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


def test_like_comment_and_mention_reach_the_other_browser_live(visit, served_db, site):
    vera = served_db.make.user("vera@example.com", "Vera Price")
    sam = served_db.make.user("sam@example.com", "Sam Rep")
    served_db.make.follow(vera, sam)
    post = api(site, sam.token, "POST", "/posts", json={"body": "Pricing for **Acme** is final"})

    reader = visit().sign_in(vera.email)
    reader.wait_until_live()
    author = visit().sign_in(sam.email)
    author.page.goto(f"/people/{sam.id}")
    author.wait_until_live()
    mine = author.page.locator(f"#item-{post['id']}")
    theirs = reader.page.locator(f"#item-{post['id']}")

    # Vera likes the post; Sam's count changes without a reload.
    theirs.get_by_role("button", name="Like").click()
    theirs.locator('[data-count="likes"]', has_text="1").wait_for()
    mine.locator('[data-count="likes"]', has_text="1").wait_for()

    # Sam replies and mentions Vera, picking her from the autocomplete.
    mine.get_by_role("button", name="Comment").click()
    field = mine.get_by_label("Write a comment")
    field.press_sequentially("Thanks @Ver")
    option = author.page.get_by_role("option", name="Vera Price")
    option.wait_for()
    field.press("Enter")
    assert f"@[Vera Price](user:{vera.id})" in field.input_value()
    mine.get_by_role("button", name="Reply").click()
    mine.locator(".comment", has_text="Thanks").wait_for()

    # Vera sees the comment count and her bell change, live.
    theirs.locator('[data-count="comments"]', has_text="1").wait_for()
    reader.page.locator("[data-unread-count]", has_text="1").wait_for()
    theirs.get_by_role("button", name="Comment").click()
    theirs.locator(".comment a.mention", has_text="Vera Price").wait_for()
    assert reader.errors == [] and author.errors == []
