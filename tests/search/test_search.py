"""Full-text search across posts, comments, tracked changes, records and people."""


def _hits(api, query):
    response = api.get("/search", query_string={"q": query})
    assert response.status_code == 200, response.json
    return [(h["kind"], h["id"]) for h in response.json["items"]]


def test_search_finds_each_kind(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    rep = make.user("rep@example.com", "Raj Patel")
    deal = make.record("opportunity", "Zephyr renewal", owner=rep, stage="Prospecting")
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})
    post = api_as(ana).post("/posts", json={"body": "Budget for the offsite"}).json
    comment = (
        api_as(rep).post(f"/items/{post['id']}/comments", json={"body": "Quokka catering"}).json
    )

    assert ("record", deal.id) in _hits(api_as(ana), "zephyr")
    assert ("item", post["id"]) in _hits(api_as(ana), "budget")
    assert _hits(api_as(ana), "quokka") == [("comment", comment["id"])]
    change_hits = [k for k in _hits(api_as(ana), "negotiation") if k[0] == "item"]
    assert len(change_hits) == 1
    assert ("user", rep.id) in _hits(api_as(ana), "raj")


def test_search_matches_word_forms_and_prefixes(make, api_as):
    ana = make.user("ana@example.com")
    item_id = api_as(ana).post("/posts", json={"body": "Renewals are running late"}).json["id"]

    assert ("item", item_id) in _hits(api_as(ana), "renewal")
    assert ("item", item_id) in _hits(api_as(ana), "run")


def test_search_input_is_never_query_syntax(make, api_as):
    ana = make.user("ana@example.com")
    api_as(ana).post("/posts", json={"body": "plain words"})

    for query in ('"', "NEAR(", "a OR", "*", "plain) OR (x", "-", "'"):
        response = api_as(ana).get("/search", query_string={"q": query})
        assert response.status_code == 200, (query, response.json)


def test_edited_and_deleted_posts_are_searched_as_they_are_now(make, api_as):
    ana = make.user("ana@example.com")
    item_id = api_as(ana).post("/posts", json={"body": "walrus"}).json["id"]
    api_as(ana).patch(f"/items/{item_id}", json={"body": "narwhal"})

    assert _hits(api_as(ana), "walrus") == []
    assert _hits(api_as(ana), "narwhal") == [("item", item_id)]
    api_as(ana).delete(f"/items/{item_id}")
    assert _hits(api_as(ana), "narwhal") == []


def test_renamed_and_changed_records_are_searched_as_they_are_now(make, api_as):
    rep = make.user("rep@example.com")
    deal = make.record("opportunity", "Zephyr renewal", owner=rep, stage="Prospecting")
    api_as(rep).patch(f"/records/{deal.id}", json={"name": "Aurora expansion"})
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Quasar"}})

    assert ("record", deal.id) not in _hits(api_as(rep), "zephyr")
    assert ("record", deal.id) in _hits(api_as(rep), "aurora")
    assert ("record", deal.id) in _hits(api_as(rep), "quasar")
    assert ("record", deal.id) not in _hits(api_as(rep), "prospecting")


def test_likes_and_comments_leave_a_post_findable(make, api_as):
    ana, bo = make.user("ana@example.com"), make.user("bo@example.com")
    item_id = api_as(ana).post("/posts", json={"body": "pelican forecast"}).json["id"]
    assert api_as(bo).post(f"/items/{item_id}/like").status_code == 200
    api_as(bo).post(f"/items/{item_id}/comments", json={"body": "agreed"})

    assert _hits(api_as(bo), "pelican") == [("item", item_id)]


def test_search_by_kind_and_bad_input(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    api_as(ana).post("/posts", json={"body": "Ana's plan"})

    only_people = api_as(ana).get("/search", query_string={"q": "ana", "kind": "user"}).json
    assert [h["kind"] for h in only_people["items"]] == ["user"]
    assert api_as(ana).get("/search").status_code == 422
    assert api_as(ana).get("/search", query_string={"q": "x", "kind": "planet"}).status_code == 422


def test_reindex_finds_rows_written_before_the_index(make, api_as, app):
    import sqlalchemy as sa

    from feedserver.extensions import db

    ana = make.user("ana@example.com", "Ana Lima")
    with app.app_context():
        # As after upgrading a database whose rows predate search: written without the ORM.
        db.session.execute(
            sa.text(
                "INSERT INTO records (type_key, source, name, fields, version, created_at, "
                "updated_at) VALUES ('account', 'legacy', 'Xylophone Holdings', '{}', 1, "
                ":now, :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
        db.session.commit()
    assert _hits(api_as(ana), "xylophone") == []

    result = app.test_cli_runner().invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "rows indexed" in result.output
    assert [kind for kind, _ in _hits(api_as(ana), "xylophone")] == ["record"]
