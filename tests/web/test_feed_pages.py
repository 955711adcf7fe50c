"""The home feed, record and person pages, the follow panel and the one item partial."""

import re


def _seqs(html):
    return [int(s) for s in re.findall(r'data-seq="(\d+)"', html)]


def test_follower_sees_a_stage_change_as_old_to_new(signed_in, make, api_as):
    vera, rep = make.user("vera@example.com", "Vera Price"), make.user("rep@example.com", "Sam Rep")
    deal = make.record("opportunity", "Acme renewal", stage="Negotiation", amount=120000)
    make.follow(vera, deal)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})

    html = signed_in(vera).get("/").get_data(as_text=True)
    assert "Sam Rep" in html and "Acme renewal" in html
    assert re.search(r"Stage:</span>\s*<span class=\"change-old\">Negotiation</span>", html)
    assert '<span class="change-new">Closed Won</span>' in html


def test_empty_home_feed_says_what_to_do(signed_in, make):
    html = signed_in(make.user("vera@example.com")).get("/").get_data(as_text=True)
    assert "Your feed is quiet" in html
    assert "Follow a deal" in html


def test_endless_scroll_pages_by_cursor_without_repeats(signed_in, make, api_as):
    vera, rep = make.user("vera@example.com"), make.user("rep@example.com")
    deal = make.record("opportunity", "Big deal", amount=1)
    make.follow(vera, deal)
    for amount in range(2, 27):
        api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": amount}})
    client = signed_in(vera)
    first = client.get("/").get_data(as_text=True)
    more = re.search(r'hx-get="([^"]+cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in second  # only the partial
    assert len(_seqs(first)) == 20 and len(_seqs(second)) == 5
    assert not set(_seqs(first)) & set(_seqs(second))
    assert min(_seqs(first)) > max(_seqs(second))


def test_bad_cursor_is_a_clear_400(signed_in, make):
    response = signed_in(make.user("vera@example.com")).get("/?cursor=not-a-cursor")
    assert response.status_code == 400


def test_filters_keep_only_matching_items(signed_in, make, api_as):
    vera, rep = make.user("vera@example.com"), make.user("rep@example.com")
    deal = make.record("opportunity", "Deal one", stage="Prospecting")
    case = make.record("case", "Printer on fire", status="New")
    make.follow(vera, deal)
    make.follow(vera, case)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})
    api_as(rep).patch(f"/records/{case.id}", json={"fields": {"status": "Escalated"}})
    html = signed_in(vera).get("/?record_type=case").get_data(as_text=True)
    assert html.count('<article class="item') == 1
    assert "Escalated" in html and "Negotiation" not in html


def test_record_page_shows_fields_followers_and_related_records(signed_in, make):
    vera, tom = make.user("vera@example.com", "Vera Price"), make.user("tom@example.com", "Tom B")
    account = make.record("account", "Acme Corp", industry="Manufacturing")
    make.record("opportunity", "Acme expansion", account=account, stage="Proposal")
    make.record("contact", "Jane Buyer", account=account)
    make.follow(tom, account)
    html = signed_in(vera).get(f"/records/{account.id}").get_data(as_text=True)
    assert "Acme Corp" in html and "Manufacturing" in html
    assert "1 follower" in html and 'title="Tom B"' in html
    assert "Acme expansion" in html and "Jane Buyer" in html
    assert 'aria-pressed="false" aria-label="Follow">Follow</button>' in html


def test_follow_button_follows_then_unfollows(signed_in, make):
    vera = make.user("vera@example.com")
    deal = make.record("opportunity", "Acme renewal")
    client = signed_in(vera)
    followed = client.post(f"/follows/record/{deal.id}", headers={"HX-Request": "true"})
    assert "Following" in followed.get_data(as_text=True)
    assert "1 follower" in followed.get_data(as_text=True)
    unfollowed = client.post(f"/follows/record/{deal.id}/delete", headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in unfollowed.get_data(as_text=True)
    assert "0 followers" in unfollowed.get_data(as_text=True)


def test_follow_without_javascript_returns_to_the_page(signed_in, make):
    vera, tom = make.user("vera@example.com"), make.user("tom@example.com")
    response = signed_in(vera).post(f"/follows/user/{tom.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{tom.id}")


def test_following_a_missing_record_is_404(signed_in, make):
    assert signed_in(make.user("vera@example.com")).post("/follows/record/999").status_code == 404


def test_person_page_shows_manager_and_direct_reports(signed_in, make):
    vera = make.user("vera@example.com", "Vera Price")
    maria = make.user("maria@example.com", "Maria Lopez", manager=vera)
    make.user("sam@example.com", "Sam Rep", manager=maria)
    html = signed_in(vera).get(f"/people/{maria.id}").get_data(as_text=True)
    assert "Maria Lopez" in html
    assert "Vera Price" in html and "Sam Rep" in html


def test_item_fragment_is_the_feed_partial_with_the_viewers_seq(signed_in, make, api_as):
    vera, rep = make.user("vera@example.com"), make.user("rep@example.com")
    deal = make.record("opportunity", "Acme renewal", stage="Negotiation")
    make.follow(vera, deal)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    client = signed_in(vera)
    page = client.get("/").get_data(as_text=True)
    item_id = re.search(r'data-item-id="(\d+)"', page).group(1)
    fragment = client.get(f"/fragments/items/{item_id}").get_data(as_text=True)
    assert fragment.strip().startswith("<article")
    assert _seqs(fragment) == _seqs(page)[:1]
    # A record page asks only for its own record's items.
    other = make.record("opportunity", "Other deal")
    assert client.get(f"/fragments/items/{item_id}?record_id={other.id}").status_code == 204
    assert client.get(f"/fragments/items/{item_id}?record_id={deal.id}").status_code == 200


def test_item_fragment_of_a_missing_item_is_404(signed_in, make):
    assert signed_in(make.user("vera@example.com")).get("/fragments/items/999").status_code == 404


def test_post_bodies_are_markdown_with_raw_html_neutralised():
    from feedserver.web.template_helpers import render_markdown

    html = str(render_markdown("**Won** it! <script>alert(1)</script> #renewals"))
    assert "<strong>Won</strong>" in html
    assert "<script>" not in html
    assert 'href="/topics/renewals"' in html


def test_sort_by_latest_activity_puts_a_commented_item_first(signed_in, make, api_as):
    vera, rep = make.user("vera@example.com"), make.user("rep@example.com")
    older = make.record("opportunity", "Older deal", stage="Prospecting")
    newer = make.record("opportunity", "Newer deal", stage="Prospecting")
    make.follow(vera, older)
    make.follow(vera, newer)
    api_as(rep).patch(f"/records/{older.id}", json={"fields": {"stage": "Proposal"}})
    api_as(rep).patch(f"/records/{newer.id}", json={"fields": {"stage": "Proposal"}})
    older_item = api_as(vera).get(f"/records/{older.id}/feed").json["items"][0]["id"]
    api_as(rep).post(f"/items/{older_item}/comments", json={"body": "Any news?"})
    client = signed_in(vera)

    newest = client.get("/").get_data(as_text=True)
    by_activity = client.get("/?sort=activity").get_data(as_text=True)

    def deals_in_feed_order(html):
        articles = html.split('<article class="item')[1:]
        return [re.search(r"(Older|Newer) deal", a).group(0) for a in articles]

    assert deals_in_feed_order(newest) == ["Newer deal", "Older deal"]
    assert deals_in_feed_order(by_activity) == ["Older deal", "Newer deal"]
    assert '<option value="activity" selected>' in by_activity
