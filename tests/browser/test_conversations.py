"""Two colleagues in two browsers: likes, comments, mention autocomplete and the bell, live."""

import pytest

from tests.browser.conftest import api

# Chromium against real server processes: once per CI run, in the SQLite pass.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


def _sam_posts_to_vera(served_db, site, body: str):
    """Vera follows Sam, who has posted `body`: (vera, sam, the post as the API returned it)."""
    vera = served_db.make.user("vera@example.com", "Vera Price")
    sam = served_db.make.user("sam@example.com", "Sam Rep")
    served_db.make.follow(vera, sam)
    return vera, sam, api(site, sam.token, "POST", "/posts", json={"body": body})


def test_like_comment_and_mention_reach_the_other_browser_live(visit, served_db, site):
    vera, sam, post = _sam_posts_to_vera(served_db, site, "Pricing for **Acme** is final")

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


def test_a_comment_arriving_live_keeps_the_reply_being_written(visit, served_db, site):
    vera, sam, post = _sam_posts_to_vera(served_db, site, "Who has the Acme contract?")

    reader = visit().sign_in(vera.email)
    reader.wait_until_live()
    theirs = reader.page.locator(f"#item-{post['id']}")
    theirs.get_by_role("button", name="Comment").click()
    field = theirs.get_by_label("Write a comment")
    field.press_sequentially("I have it")

    # Sam answers while Vera is still typing: his comment and the count appear, her draft stays.
    api(site, sam.token, "POST", f"/items/{post['id']}/comments", json={"body": "Found it, thanks"})
    theirs.locator(".comment", has_text="Found it").wait_for()
    theirs.locator('[data-count="comments"]', has_text="1").wait_for()
    assert field.input_value() == "I have it"

    # The kept field still offers mentions, and her own reply counts once.
    field.press_sequentially(", @Sa")
    theirs.get_by_role("option", name="Sam Rep").wait_for()
    field.press("Enter")
    theirs.get_by_role("button", name="Reply").click()
    theirs.locator(".comment a.mention", has_text="Sam Rep").wait_for()
    theirs.locator('[data-count="comments"]', has_text="2").wait_for()
    reader.page.wait_for_timeout(500)  # a late comment_added must not move the count past 2
    assert theirs.locator('[data-count="comments"]').first.inner_text() == "2"
    assert reader.errors == []
