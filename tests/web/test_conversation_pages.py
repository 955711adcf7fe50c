"""Conversation pages: likes and comments on items, notifications, bookmarks, topics, search."""

import re


def _post(api_as, author, body, **extra):
    response = api_as(author).post("/posts", json={"body": body, **extra})
    assert response.status_code == 201, response.json
    return response.json["id"]


def _mark(api_as, user, path):
    response = api_as(user).post(path)
    assert response.status_code in (200, 204), response.json
    return response


def test_item_shows_like_and_comment_counts_and_my_like(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com", "Vera Price"), make.user("sam@example.com")
    make.follow(vera, sam)
    item_id = _post(api_as, sam, "Closed the **Acme** deal")
    _mark(api_as, vera, f"/items/{item_id}/like")
    api_as(sam).post(f"/items/{item_id}/comments", json={"body": "Thanks all"})
    html = signed_in(vera).get(f"/fragments/items/{item_id}").get_data(as_text=True)
    assert "<strong>Acme</strong>" in html
    assert re.search(r'data-like-button data-item-id="\d+" aria-pressed="true"', html)
    assert '<span class="action-count" data-count="likes">1</span>' in html
    assert '<span class="action-count" data-count="comments">1</span>' in html


def test_comments_fragment_lists_comments_with_a_reply_form(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com"), make.user("sam@example.com", "Sam Rep")
    item_id = _post(api_as, sam, "Which deck do we use?", question=True)
    api_as(vera).post(f"/items/{item_id}/comments", json={"body": "The *new* one"})
    html = signed_in(sam).get(f"/fragments/items/{item_id}/comments").get_data(as_text=True)
    assert "<em>new</em>" in html and "data-comment-form" in html
    assert "Mark as best answer" in html  # the asker may choose


def test_notifications_page_lists_mentions(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com", "Vera Price"), make.user("sam@example.com", "Sam Rep")
    _post(api_as, sam, f"@[Vera Price](user:{vera.id}) can you join the call?")
    browser = signed_in(vera)
    html = browser.get("/notifications").get_data(as_text=True)
    assert "Sam Rep" in html and "notification-unread" in html
    home = browser.get("/").get_data(as_text=True)
    assert re.search(r'data-unread-count="1"', home)


def test_bookmarks_page_shows_saved_items(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com"), make.user("sam@example.com")
    item_id = _post(api_as, sam, "Pricing sheet for Q3")
    _mark(api_as, vera, f"/items/{item_id}/bookmark")
    html = signed_in(vera).get("/bookmarks").get_data(as_text=True)
    assert "Pricing sheet for Q3" in html


def test_topic_page_lists_tagged_items_and_unknown_topics_are_404(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com"), make.user("sam@example.com")
    _post(api_as, sam, "Great quarter #renewals")
    browser = signed_in(vera)
    assert "Great quarter" in browser.get("/topics/renewals").get_data(as_text=True)
    assert browser.get("/topics/nothing-here").status_code == 404


def test_search_finds_posts(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com"), make.user("sam@example.com")
    _post(api_as, sam, "The zeppelin account is ready")
    html = signed_in(vera).get("/search?q=zeppelin").get_data(as_text=True)
    assert "/items/" in html
    assert "Nothing matches" in signed_in(vera).get("/search?q=qqqxxx").get_data(as_text=True)


def test_composer_offers_my_groups_and_what_i_follow(signed_in, make, api_as):
    vera = make.user("vera@example.com")
    deal = make.record("opportunity", "Acme renewal")
    make.follow(vera, deal)
    group = api_as(vera).post("/groups", json={"name": "Sales EMEA", "visibility": "public"})
    assert group.status_code == 201, group.json
    html = signed_in(vera).get("/").get_data(as_text=True)
    assert f'<option value="group:{group.json["id"]}">Sales EMEA (group)</option>' in html
    assert f'<option value="record:{deal.id}">Acme renewal</option>' in html


def test_item_permalink_opens_its_comments(signed_in, make, api_as):
    vera, sam = make.user("vera@example.com"), make.user("sam@example.com")
    item_id = _post(api_as, sam, "Renewal call at 3pm")
    html = signed_in(vera).get(f"/items/{item_id}").get_data(as_text=True)
    assert f'hx-get="/fragments/items/{item_id}/comments" hx-trigger="load"' in html
    assert 'aria-expanded="true"' in html
