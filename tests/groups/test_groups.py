"""Groups: public and private, roles, joining directly or by request, archiving, group posts."""


def _group(api, name="Sales EMEA", visibility="public"):
    response = api.post("/groups", json={"name": name, "visibility": visibility})
    assert response.status_code == 201, response.json
    return response.json


def test_creator_owns_the_group_and_anyone_joins_a_public_one(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    group = _group(api_as(ana))
    assert group["my_role"] == "owner" and group["member_count"] == 1

    assert api_as(bo).post(f"/groups/{group['id']}/join").json == {"status": "member"}

    shown = api_as(bo).get(f"/groups/{group['id']}").json
    assert shown["my_role"] == "member" and shown["member_count"] == 2
    members = api_as(bo).get(f"/groups/{group['id']}/members").json["items"]
    assert sorted((m["user"]["id"], m["role"]) for m in members) == [
        (ana.id, "owner"),
        (bo.id, "member"),
    ]


def test_private_group_join_is_a_request_a_manager_approves(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com", "Bo Berg")
    group = _group(api_as(ana), visibility="private")

    assert api_as(bo).post(f"/groups/{group['id']}/join").json == {"status": "requested"}
    assert api_as(bo).get(f"/groups/{group['id']}").json["requested"] is True
    assert api_as(bo).get(f"/groups/{group['id']}/requests").status_code == 403
    requests = api_as(ana).get(f"/groups/{group['id']}/requests").json["items"]
    assert [u["id"] for u in requests] == [bo.id]
    assert [n["text"] for n in api_as(ana).get("/notifications").json["items"]] == [
        "Bo Berg asked to join Sales EMEA"
    ]

    response = api_as(ana).post(f"/groups/{group['id']}/requests/{bo.id}/approve")

    assert response.status_code == 204
    assert api_as(bo).get(f"/groups/{group['id']}").json["my_role"] == "member"
    assert api_as(ana).get(f"/groups/{group['id']}/requests").json["items"] == []


def test_refused_request_leaves_them_outside(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    group = _group(api_as(ana), visibility="private")
    api_as(bo).post(f"/groups/{group['id']}/join")

    assert api_as(ana).delete(f"/groups/{group['id']}/requests/{bo.id}").status_code == 204

    assert api_as(bo).get(f"/groups/{group['id']}").json["my_role"] is None
    assert api_as(bo).get(f"/groups/{group['id']}/feed").status_code == 403


def test_managers_remove_members_and_members_leave_but_the_owner_stays(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    cy = make.user("cy@example.com")
    group_id = _group(api_as(ana))["id"]
    for person in (bo, cy):
        api_as(person).post(f"/groups/{group_id}/join")

    assert api_as(bo).delete(f"/groups/{group_id}/members/{cy.id}").status_code == 403
    assert (
        api_as(ana).patch(f"/groups/{group_id}/members/{bo.id}", json={"role": "manager"})
    ).status_code == 204
    assert api_as(bo).delete(f"/groups/{group_id}/members/{cy.id}").status_code == 204
    assert api_as(bo).delete(f"/groups/{group_id}/members/{bo.id}").status_code == 204
    assert api_as(ana).delete(f"/groups/{group_id}/members/{ana.id}").status_code == 409
    assert api_as(ana).get(f"/groups/{group_id}").json["member_count"] == 1


def test_only_the_owner_hands_over_ownership(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    group_id = _group(api_as(ana))["id"]
    api_as(bo).post(f"/groups/{group_id}/join")
    api_as(ana).patch(f"/groups/{group_id}/members/{bo.id}", json={"role": "manager"})

    assert (
        api_as(bo).patch(f"/groups/{group_id}/members/{bo.id}", json={"role": "owner"})
    ).status_code == 403
    assert (
        api_as(ana).patch(f"/groups/{group_id}/members/{bo.id}", json={"role": "owner"})
    ).status_code == 204
    shown = api_as(ana).get(f"/groups/{group_id}").json
    assert shown["owner_id"] == bo.id and shown["my_role"] == "manager"


def test_group_post_reaches_members_and_the_group_feed(make, api_as):
    ana = make.user("ana@example.com", "Ana Lima")
    bo = make.user("bo@example.com")
    group_id = _group(api_as(ana))["id"]
    api_as(bo).post(f"/groups/{group_id}/join")

    response = api_as(ana).post(
        "/posts", json={"body": "Kick-off at 10", "target": {"kind": "group", "id": group_id}}
    )

    assert response.status_code == 201, response.json
    assert response.json["group"]["name"] == "Sales EMEA"
    assert response.json["summary"] == "Ana Lima posted on Sales EMEA"
    assert [i["id"] for i in api_as(bo).get("/feed/home").json["items"]] == [response.json["id"]]
    feed = api_as(bo).get(f"/groups/{group_id}/feed").json["items"]
    assert [i["id"] for i in feed] == [response.json["id"]]


def test_non_members_cannot_post_in_a_group(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    group_id = _group(api_as(ana))["id"]

    response = api_as(bo).post(
        "/posts", json={"body": "let me in", "target": {"kind": "group", "id": group_id}}
    )

    assert response.status_code == 403
    assert "group_id" in response.json["error"]["fields"]


def test_archived_group_is_readable_but_closed(make, api_as):
    ana = make.user("ana@example.com")
    bo = make.user("bo@example.com")
    group_id = _group(api_as(ana))["id"]
    item_id = (
        api_as(ana)
        .post("/posts", json={"body": "last words", "target": {"kind": "group", "id": group_id}})
        .json["id"]
    )

    assert api_as(bo).post(f"/groups/{group_id}/archive").status_code == 403
    assert api_as(ana).post(f"/groups/{group_id}/archive").json["archived_at"] is not None

    assert api_as(bo).post(f"/groups/{group_id}/join").status_code == 409
    assert (
        api_as(ana).post("/posts", json={"body": "x", "target": {"kind": "group", "id": group_id}})
    ).status_code == 409
    assert api_as(ana).post(f"/items/{item_id}/comments", json={"body": "x"}).status_code == 409
    assert [i["id"] for i in api_as(bo).get(f"/groups/{group_id}/feed").json["items"]] == [item_id]


def test_group_names_are_unique_and_required(make, api_as):
    ana = make.user("ana@example.com")
    _group(api_as(ana), "Support")

    assert api_as(ana).post("/groups", json={"name": "support"}).status_code == 409
    other = _group(api_as(ana), "Billing")["id"]
    renamed = api_as(ana).patch(f"/groups/{other}", json={"name": "SUPPORT"})
    assert renamed.status_code == 409 and "name" in renamed.json["error"]["fields"]
    assert api_as(ana).patch(f"/groups/{other}", json={}).status_code == 422
    response = api_as(ana).post("/groups", json={"name": ""})
    assert response.status_code == 422 and "name" in response.json["error"]["fields"]
    assert (
        api_as(ana).post("/groups", json={"name": "x", "visibility": "secret"}).status_code == 422
    )


def test_group_names_beyond_ascii_are_unique_regardless_of_case(make, api_as):
    # SQLite's own lower() leaves "Ó" as it is; names compare as on PostgreSQL on both.
    ana = make.user("ana@example.com")
    _group(api_as(ana), "Órbita")

    for name in ("Órbita", "órbita", "ÓRBITA"):
        answer = api_as(ana).post("/groups", json={"name": name})
        assert answer.status_code == 409, (name, answer.json)
        assert "name" in answer.json["error"]["fields"]


def test_unknown_group_is_not_found(make, api_as):
    ana = make.user("ana@example.com")

    assert api_as(ana).get("/groups/999").status_code == 404
    assert api_as(ana).post("/groups/999/join").status_code == 404


def test_following_a_public_group_brings_its_posts_home(make, api_as):
    ana = make.user("ana@example.com")
    watcher = make.user("watcher@example.com")
    group_id = _group(api_as(ana))["id"]

    assert (
        api_as(watcher).post("/follows", json={"kind": "group", "id": group_id}).status_code == 200
    )
    item_id = (
        api_as(ana)
        .post("/posts", json={"body": "news", "target": {"kind": "group", "id": group_id}})
        .json["id"]
    )

    assert [i["id"] for i in api_as(watcher).get("/feed/home").json["items"]] == [item_id]
