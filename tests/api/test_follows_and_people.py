"""Following people and records (no cap), and finding colleagues."""


def test_follow_is_idempotent_and_listed(make, api_as):
    ana = make.user("ana@example.com", "Ana Silva")
    raj = make.user("raj@example.com", "Raj Patel")
    deal = make.record("opportunity", "Deal", owner=raj)

    first = api_as(ana).post("/follows", json={"kind": "user", "id": raj.id})
    again = api_as(ana).post("/follows", json={"kind": "user", "id": raj.id})
    api_as(ana).post("/follows", json={"kind": "record", "id": deal.id})

    assert first.status_code == again.status_code == 200
    assert first.json["id"] == again.json["id"]
    listed = api_as(ana).get("/follows").json["items"]
    assert [(f["kind"], f["subject"]["name"]) for f in listed] == [
        ("record", "Deal"),
        ("user", "Raj Patel"),
    ]
    assert [f["kind"] for f in api_as(ana).get("/follows?kind=user").json["items"]] == ["user"]
    assert [u["name"] for u in api_as(ana).get(f"/users/{raj.id}/followers").json["items"]] == [
        "Ana Silva"
    ]
    assert [u["name"] for u in api_as(raj).get(f"/users/{ana.id}/following").json["items"]] == [
        "Raj Patel"
    ]


def test_there_is_no_follow_cap(make, api_as, app):
    from feedserver.extensions import db
    from feedserver.models import Record

    ana = make.user("ana@example.com")
    with app.app_context():
        db.session.add_all(Record(type_key="account", name=f"A{i}", fields={}) for i in range(600))
        db.session.commit()
    ids = [r["id"] for r in api_as(ana).get("/records?limit=100").json["items"]]
    with app.app_context():
        ids = list(db.session.scalars(db.select(Record.id)))

    for record_id in ids:
        assert (
            api_as(ana).post("/follows", json={"kind": "record", "id": record_id}).status_code
            == 200
        )

    total, cursor = 0, None
    while True:
        page = api_as(ana).get("/follows?limit=100" + (f"&cursor={cursor}" if cursor else "")).json
        total += len(page["items"])
        if not (cursor := page["next_cursor"]):
            break
    assert total == 600


def test_follow_refusals(make, api_as):
    ana = make.user("ana@example.com")

    me = api_as(ana).post("/follows", json={"kind": "user", "id": ana.id})
    missing = api_as(ana).post("/follows", json={"kind": "record", "id": 99999})
    bad_kind = api_as(ana).post("/follows", json={"kind": "planet", "id": 1})
    not_following = api_as(ana).delete("/follows/user/99999")

    assert me.status_code == 422 and "yourself" in me.json["error"]["message"]
    assert missing.status_code == 404
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json["error"]["fields"]
    assert not_following.status_code == 404


def test_unfollow_stops_new_items(make, api_as):
    ana = make.user("ana@example.com")
    rep = make.user("rep@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, amount=1)
    api_as(ana).post("/follows", json={"kind": "record", "id": deal.id})

    assert api_as(ana).delete(f"/follows/record/{deal.id}").status_code == 204
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": 2}})

    assert api_as(ana).get("/feed/home").json["items"] == []


def test_people_search_and_profile(make, api_as):
    vp = make.user("vp@example.com", "Vera Price")
    ana = make.user("ana@example.com", "Ana Silva", manager=vp)

    found = api_as(vp).get("/users?q=silva").json["items"]
    person = api_as(vp).get(f"/users/{ana.id}").json

    assert [u["email"] for u in found] == ["ana@example.com"]
    assert person["manager"]["name"] == "Vera Price" and person["initials"] == "AS"
    assert api_as(vp).get("/users/99999").status_code == 404
    assert api_as(vp).get("/me").json["email"] == "vp@example.com"
