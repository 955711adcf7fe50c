"""Feed filters (posts only, record updates only, record type, group) and sort by activity."""


def _ids(api, path):
    response = api.get(path)
    assert response.status_code == 200, response.json
    return [i["id"] for i in response.json["items"]]


def _scene(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    case = make.record("case", "Case 1", owner=rep, status="New")
    make.follow(fan, rep)
    make.follow(fan, deal)
    make.follow(fan, case)
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    api_as(rep).patch(f"/records/{case.id}", json={"fields": {"status": "Closed"}})
    group_id = api_as(rep).post("/groups", json={"name": "Team"}).json["id"]
    api_as(fan).post(f"/groups/{group_id}/join")
    in_group = (
        api_as(rep)
        .post("/posts", json={"body": "group", "target": {"kind": "group", "id": group_id}})
        .json["id"]
    )
    on_profile = api_as(rep).post("/posts", json={"body": "hello"}).json["id"]
    return rep, fan, group_id, in_group, on_profile


def test_posts_only_and_record_updates_only(make, api_as):
    rep, fan, group_id, in_group, on_profile = _scene(make, api_as)

    for feed in ("/feed/home", "/feed/company"):
        assert _ids(api_as(fan), f"{feed}?kind=posts") == [on_profile, in_group]
        changes = api_as(fan).get(f"{feed}?kind=changes").json["items"]
        assert {i["verb"] for i in changes} <= {"create", "update"}
        assert len([i for i in changes if i["verb"] == "update"]) == 2


def test_by_record_type_and_by_group(make, api_as):
    rep, fan, group_id, in_group, on_profile = _scene(make, api_as)

    cases = api_as(fan).get("/feed/home?record_type=case").json["items"]
    assert [i["record_type"] for i in cases] == ["case"]
    assert _ids(api_as(fan), f"/feed/home?group_id={group_id}") == [in_group]
    assert _ids(api_as(fan), f"/feed/company?group_id={group_id}&kind=posts") == [in_group]


def test_sort_by_latest_activity_bumps_a_commented_item(make, api_as):
    ana = make.user("ana@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, ana)
    old, middle, new = (api_as(ana).post("/posts", json={"body": b}).json["id"] for b in "abc")

    api_as(fan).post(f"/items/{old}/comments", json={"body": "bump"})

    assert _ids(api_as(fan), "/feed/home") == [new, middle, old]
    assert _ids(api_as(fan), "/feed/home?sort=activity") == [old, new, middle]
    first = api_as(fan).get("/feed/company?sort=activity&limit=2").json
    assert [i["id"] for i in first["items"]] == [old, new]
    rest = _ids(api_as(fan), f"/feed/company?sort=activity&limit=2&cursor={first['next_cursor']}")
    assert rest == [middle]


def test_feed_items_carry_my_state(make, api_as):
    ana = make.user("ana@example.com")
    fan = make.user("fan@example.com")
    make.follow(fan, ana)
    item_id = api_as(ana).post("/posts", json={"body": "x"}).json["id"]
    api_as(fan).post(f"/items/{item_id}/like")

    item = api_as(fan).get(f"/users/{ana.id}/feed").json["items"][0]

    assert item["viewer"] == {"liked": True, "bookmarked": False, "vote": None}
    assert item["like_count"] == 1


def test_bad_filter_values_are_refused(make, api_as):
    ana = make.user("ana@example.com")

    for query in ("kind=gossip", "sort=loudest", "group_id=abc"):
        response = api_as(ana).get(f"/feed/home?{query}")
        assert response.status_code == 422, query
        assert query.split("=")[0] in response.json["error"]["fields"]
    assert api_as(ana).get("/feed/home?sort=activity&cursor=nonsense").status_code == 400
