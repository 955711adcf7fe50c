"""@mentions: autocomplete, notification, and delivery to people who follow nothing related."""


def test_mention_puts_the_post_in_a_non_followers_feed_and_notifies_them(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")

    response = api_as(ana).post("/posts", json={"body": f"Thoughts, @[Bo](user:{bo.id})?"})

    assert response.status_code == 201, response.json
    assert (
        f'<a href="/users/{bo.id}" class="mention" rel="noopener nofollow">@Bo Berg</a>'
        in (response.json["body_html"])
    )
    assert [i["id"] for i in api_as(bo).get("/feed/home").json["items"]] == [response.json["id"]]
    notes = api_as(bo).get("/notifications").json
    assert notes["unread_count"] == 1
    assert notes["items"][0]["text"] == "Ana Lima mentioned you"
    assert notes["items"][0]["item_id"] == response.json["id"]


def test_mention_in_a_comment_notifies_the_person(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    cy = make.user("cy@example.com", "Cy Chen")
    item_id = api_as(ana).post("/posts", json={"body": "Plan"}).json["id"]

    api_as(ana).post(f"/items/{item_id}/comments", json={"body": f"@[Cy](user:{cy.id}) see this"})

    texts = [n["text"] for n in api_as(cy).get("/notifications").json["items"]]
    assert texts == ["Ana Lima mentioned you"]
    assert [i["id"] for i in api_as(cy).get("/feed/home").json["items"]] == [item_id]
    assert api_as(bo).get("/notifications").json["items"] == []
    assert api_as(bo).get("/feed/home").json["items"] == []


def test_mention_added_by_an_edit_delivers_once(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    cy = make.user("cy@example.com", "Cy Chen")
    item_id = api_as(ana).post("/posts", json={"body": "Plan"}).json["id"]

    api_as(ana).patch(f"/items/{item_id}", json={"body": f"Plan for @[Cy](user:{cy.id})"})
    api_as(ana).post(f"/items/{item_id}/comments", json={"body": f"@[Cy](user:{cy.id}) again"})

    assert [i["id"] for i in api_as(cy).get("/feed/home").json["items"]] == [item_id]


def test_mentioning_myself_or_an_unknown_person_notifies_nobody(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")

    response = api_as(ana).post("/posts", json={"body": f"@[me](user:{ana.id}) @[ghost](user:999)"})

    assert response.status_code == 201
    assert "@ghost" in response.json["body_html"]
    assert 'href="/users/999"' not in response.json["body_html"]
    assert api_as(ana).get("/notifications").json["unread_count"] == 0


def test_mention_syntax_inside_code_is_only_text(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")

    api_as(ana).post("/posts", json={"body": f"`@[Bo](user:{bo.id})`"})

    assert api_as(bo).get("/feed/home").json["items"] == []
    assert api_as(bo).get("/notifications").json["unread_count"] == 0


def test_autocomplete_suggests_people_and_groups_with_the_text_to_insert(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    make.user("other@example.com", "Zed Zulu")
    group_id = api_as(ana).post("/groups", json={"name": "Boston office"}).json["id"]

    response = api_as(ana).get("/mentions/suggest?q=bo")

    assert response.status_code == 200
    assert response.json["items"] == [
        {"kind": "user", "id": bo.id, "name": "Bo Berg", "detail": None,
         "mention": f"@[Bo Berg](user:{bo.id})"},
        {"kind": "group", "id": group_id, "name": "Boston office", "detail": "public group",
         "mention": f"@[Boston office](group:{group_id})"},
    ]  # fmt: skip


def test_autocomplete_needs_a_query(make, api_as):
    ana = make.user("ana@example.com")

    response = api_as(ana).get("/mentions/suggest")

    assert response.status_code == 422
    assert "q" in response.json["error"]["fields"]


def test_a_mention_in_the_same_transaction_as_the_post_delivers_it_once(app, make, api_as):
    from feedserver.conversations.comments import add_comment
    from feedserver.conversations.posts import create_post
    from feedserver.extensions import db
    from feedserver.models import User

    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com", "Bo Berg")
    cy = make.user("cy@example.com", "Cy Chen")
    make.follow(bo, ana)
    # One transaction (as an import or a script would run it): the post's own fan-out still
    # waits for the commit when the comment mentions Bo, who gets the post anyway, and Cy.
    with app.app_context():
        author = db.session.get(User, ana.id)
        item = create_post(author, "Plan")
        add_comment(author, item, f"@[Bo](user:{bo.id}) @[Cy](user:{cy.id}) see this")
        item_id = item.id
        db.session.commit()

    for person in (bo, cy):
        items = api_as(person).get("/feed/home?after_seq=0").json["items"]
        assert [(i["id"], i["seq"]) for i in items] == [(item_id, 1)], person.email
