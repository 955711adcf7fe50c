"""Records through the API: create, read, filter, change, delete — and refuse bad input."""

import pytest


@pytest.fixture
def rep(make):
    return make.user("rep@example.com", "Raj Patel")


def test_create_record_is_published_to_the_owners_followers(make, api_as, rep):
    fan = make.user("fan@example.com")
    make.follow(fan, rep)
    acme = make.record("account", "Acme", owner=rep)

    response = api_as(rep).post(
        "/records",
        json={
            "type": "opportunity",
            "name": "Acme pilot",
            "account_id": acme.id,
            "fields": {"stage": "Prospecting", "amount": 50000, "colour": "blue"},
        },
    )

    assert response.status_code == 201
    body = response.json
    assert body["owner"]["id"] == rep.id and body["account"]["name"] == "Acme"
    assert body["version"] == 1 and body["source"] == "feedserver"
    item = api_as(fan).get("/feed/home").json["items"][0]
    assert item["verb"] == "create" and item["object"]["id"] == body["id"]
    # Only tracked fields are news; "colour" is stored but not announced.
    assert {c["field"] for c in item["changes"]} == {"stage", "amount", "owner", "name"}


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"name": "x"}, "type", 422),
        ({"type": "opportunity"}, "name", 422),
        ({"type": "spaceship", "name": "x"}, "type", 422),
        ({"type": "opportunity", "name": "x", "owner_id": 999999}, "owner_id", 422),
        ({"type": "opportunity", "name": "x", "account_id": "7"}, "account_id", 422),
        ({"type": "opportunity", "name": "x", "fields": ["a"]}, "fields", 422),
    ],
)
def test_bad_record_input_names_the_field(api_as, rep, payload, field, status):
    response = api_as(rep).post("/records", json=payload)

    assert response.status_code == status
    assert field in response.json["error"]["fields"]


def test_account_must_be_an_account_and_nothing_is_half_written(make, api_as, rep):
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    other = make.record("opportunity", "Other", owner=rep)

    response = api_as(rep).patch(
        f"/records/{deal.id}", json={"account_id": other.id, "fields": {"stage": "Proposal"}}
    )

    assert response.status_code == 422
    assert "account_id" in response.json["error"]["fields"]
    assert make.get_record(deal.id).fields["stage"] == "Prospecting"
    assert api_as(rep).get(f"/records/{deal.id}/feed").json["items"][0]["verb"] == "create"


def test_unknown_record_is_404(api_as, rep):
    for response in (
        api_as(rep).get("/records/424242"),
        api_as(rep).patch("/records/424242", json={"name": "x"}),
        api_as(rep).delete("/records/424242"),
        api_as(rep).get("/records/424242/feed"),
    ):
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"


def test_list_filters_by_type_owner_account_and_text(make, api_as, rep):
    other = make.user("other@example.com")
    acme = make.record("account", "Acme", owner=rep)
    make.record("opportunity", "Acme renewal", owner=rep, account=acme)
    make.record("opportunity", "Globex pilot", owner=other)
    make.record("contact", "Priya Nair", owner=rep, account=acme)

    def names(query):
        response = api_as(rep).get("/records" + query)
        assert response.status_code == 200
        return sorted(r["name"] for r in response.json["items"])

    assert names("?type=opportunity") == ["Acme renewal", "Globex pilot"]
    assert names(f"?owner_id={other.id}") == ["Globex pilot"]
    assert names(f"?account_id={acme.id}") == ["Acme renewal", "Priya Nair"]
    assert names("?q=ACME") == ["Acme", "Acme renewal"]


def test_records_page_by_cursor_without_overlap(make, api_as, rep):
    for i in range(7):
        make.record("account", f"Account {i}", owner=rep)

    seen, cursor = [], None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api_as(rep).get("/records" + query).json
        seen += [r["name"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert sorted(seen) == [f"Account {i}" for i in range(7)]
    assert len(seen) == len(set(seen))


def test_forged_cursor_is_400(api_as, rep):
    response = api_as(rep).get("/records?cursor=not-ours")

    assert response.status_code == 400
    assert "cursor" in response.json["error"]["fields"]


def test_delete_is_soft_and_announced(make, api_as, rep):
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep)
    make.follow(fan, deal)

    assert api_as(rep).delete(f"/records/{deal.id}").status_code == 204

    assert make.get_record(deal.id).deleted
    assert api_as(rep).get(f"/records/{deal.id}").json["deleted"] is True
    assert [r["id"] for r in api_as(rep).get("/records").json["items"]] == []
    assert api_as(fan).get("/feed/home").json["items"][0]["verb"] == "delete"


def test_admin_chooses_tracked_fields(make, api_as, rep):
    admin = make.user("admin@example.com", admin=True)
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, region="EMEA")
    make.follow(fan, deal)

    refused = api_as(rep).patch("/record-types/opportunity", json={"tracked_fields": ["region"]})
    assert refused.status_code == 403
    changed = api_as(admin).patch("/record-types/opportunity", json={"tracked_fields": ["region"]})
    assert changed.status_code == 200 and changed.json["tracked_fields"] == ["region"]

    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"region": "APAC", "stage": "X"}})

    changes = api_as(fan).get("/feed/home").json["items"][0]["changes"]
    assert changes == [{"field": "region", "old": "EMEA", "new": "APAC"}]
    assert api_as(admin).patch("/record-types/nope", json={"tracked_fields": []}).status_code == 404


def test_patch_with_nothing_to_change_is_422(make, api_as, rep):
    deal = make.record("opportunity", "Deal", owner=rep)

    for kwargs in ({"json": {}}, {}):
        response = api_as(rep).patch(f"/records/{deal.id}", **kwargs)
        assert response.status_code == 422
        assert "at least one field" in str(response.json["error"]["fields"])


def test_account_cannot_be_its_own_account(make, api_as, rep):
    acme = make.record("account", "Acme", owner=rep)

    response = api_as(rep).patch(f"/records/{acme.id}", json={"account_id": acme.id})

    assert response.status_code == 422
    assert "own account" in response.json["error"]["fields"]["account_id"][0]


def test_nul_characters_are_refused_with_the_field_named(api_as, rep):
    in_query = api_as(rep).get("/records?q=ac%00me")
    in_body = api_as(rep).post(
        "/records", json={"type": "account", "name": "Acme", "fields": {"note": "a\x00b"}}
    )

    assert in_query.status_code == 400 and "q" in in_query.json["error"]["fields"]
    assert in_body.status_code == 400 and "fields.note" in in_body.json["error"]["fields"]
