"""The radar as JSON: recent visits, counts this week and last, today's accounts, stale keys."""

from datetime import UTC, datetime, timedelta

from feedserver.radar.board import week_start


def _at(moment: datetime) -> str:
    return moment.isoformat()


def _moments():
    """Times safely inside this week, last week, the week before, today and 20 days ago."""
    now = datetime.now(UTC)
    monday = week_start(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "today": midnight + (now - midnight) / 2,
        "this_week": monday + (now - monday) / 3,
        "last_week": monday - timedelta(days=3),
        "two_weeks_ago": monday - timedelta(days=10),
        "twenty_days_ago": now - timedelta(days=20),
    }


def test_counts_per_rep_this_week_and_last_over_the_whole_org(org, api_as, log_visit):
    at = _moments()
    log_visit(org.ana, org.initech, visited_at=_at(at["this_week"]))
    log_visit(org.ana, org.initech, visited_at=_at(at["today"]))
    log_visit(org.ana, org.initech, visited_at=_at(at["last_week"]))
    log_visit(org.raj, org.stark, visited_at=_at(at["last_week"]))
    log_visit(org.raj, org.stark, visited_at=_at(at["two_weeks_ago"]))
    log_visit(org.lena, org.globex, visited_at=_at(at["today"]))
    log_visit(org.lena, org.globex, visited_at="2099-01-01T09:00:00Z")  # planned: not counted
    radar = api_as(org.vp).get("/radar").json
    counts = {c["rep"]["name"]: (c["this_week"], c["last_week"]) for c in radar["counts"]}
    assert counts == {
        "Ana Silva": (2, 1),
        "Lena Fischer": (1, 0),
        "Raj Patel": (0, 1),
        "Maria Lopez": (0, 0),
        "Tom Becker": (0, 0),
        "Vera Price": (0, 0),
    }
    assert len(radar["visits"]) == 6
    times = [v["visited_at"] for v in radar["visits"]]
    assert times == sorted(times, reverse=True)


def test_a_sub_team_narrows_the_radar_to_that_manager_and_everyone_below(org, api_as, log_visit):
    log_visit(org.ana, org.acme, purpose="QBR")
    log_visit(org.lena, org.globex, purpose="Demo")
    maria_team = api_as(org.vp).get("/radar", query_string={"team": org.maria.id}).json
    assert maria_team["team"]["name"] == "Maria Lopez"
    assert [v["rep"]["name"] for v in maria_team["visits"]] == ["Ana Silva"]
    assert {c["rep"]["name"] for c in maria_team["counts"]} == {
        "Maria Lopez",
        "Ana Silva",
        "Raj Patel",
    }
    # Tom's own radar is his team: a team visit in Maria's team is not on it.
    toms = api_as(org.tom).get("/radar").json
    assert [v["rep"]["name"] for v in toms["visits"]] == ["Lena Fischer"]
    # Looking at Maria's team does not let Tom see her team's team visits either.
    assert api_as(org.tom).get("/radar", query_string={"team": org.maria.id}).json["visits"] == []


def test_accounts_visited_today_and_key_accounts_not_visited_in_n_days(org, api_as, log_visit):
    at = _moments()
    log_visit(org.ana, org.acme, visited_at=_at(at["twenty_days_ago"]))
    log_visit(org.lena, org.globex, visited_at=_at(at["today"]))
    log_visit(org.ana, org.initech, visited_at=_at(at["today"]))
    log_visit(org.lena, org.globex, visited_at=_at(at["today"]))
    vp = api_as(org.vp)

    today = {a["account"]["name"]: a for a in vp.get("/radar").json["visited_today"]}
    assert set(today) == {"Globex", "Initech"}
    assert today["Globex"]["visits"] == 2
    assert [r["name"] for r in today["Globex"]["reps"]] == ["Lena Fischer"]

    stale = vp.get("/radar", query_string={"stale_days": 14}).json["stale_accounts"]
    assert [(s["account"]["name"], s["days_since"]) for s in stale] == [
        ("Stark", None),
        ("Acme", 20),
    ]
    longer = vp.get("/radar", query_string={"stale_days": 30}).json
    assert longer["stale_days"] == 30
    assert [s["account"]["name"] for s in longer["stale_accounts"]] == ["Stark"]
    maria = vp.get("/radar", query_string={"team": org.maria.id, "stale_days": 14}).json
    assert [s["account"]["name"] for s in maria["stale_accounts"]] == ["Stark", "Acme"]


def test_stale_days_default_comes_from_config(org, api_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "RADAR_STALE_DAYS", 5)
    assert api_as(org.vp).get("/radar").json["stale_days"] == 5


def test_bad_radar_arguments_are_refused(org, api_as):
    vp = api_as(org.vp)
    assert vp.get("/radar", query_string={"stale_days": 0}).status_code == 422
    assert vp.get("/radar", query_string={"team": "x"}).status_code == 422
    assert vp.get("/radar", query_string={"team": 999999}).status_code == 404
    assert api_as(None).get("/radar").status_code == 401
