"""The flask commands an operator uses: demo data, users, tokens."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import FeedItem, Follow, InboxEntry, Record, User


def test_seed_demo_builds_a_living_sales_org_once(app, api_as):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo", "--if-empty"])
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    forced = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert "vp@example.com" in first.output
    assert "already has data" in second.output and second.exit_code == 0
    assert forced.exit_code != 0 and "not empty" in forced.output
    with app.app_context():
        vp = db.session.scalar(sa.select(User).where(User.email == "vp@example.com"))
        managers = [u for u in vp.reports]
        reps = [r for m in managers for r in m.reports]
        count = lambda q: db.session.scalar(sa.select(sa.func.count()).select_from(q))  # noqa: E731
        by_type = dict(
            db.session.execute(
                sa.select(Record.type_key, sa.func.count()).group_by(Record.type_key)
            ).all()
        )
        assert len(managers) == 2 and len(reps) == 8
        assert by_type["account"] == 20 and by_type["opportunity"] == 40
        assert by_type["contact"] > 0 and by_type["case"] > 0 and by_type["visit"] > 0
        assert count(Follow) > 20 and count(FeedItem) > 100
        vp_inbox = db.session.scalar(sa.select(sa.func.count()).where(InboxEntry.user_id == vp.id))
        assert vp_inbox > 20
        oldest = db.session.scalar(sa.select(sa.func.min(FeedItem.published)))
        newest = db.session.scalar(sa.select(sa.func.max(FeedItem.published)))
        assert (newest - oldest).days >= 14
    token = (
        app.test_client()
        .post("/api/v1/auth/token", json={"email": "vp@example.com", "password": "demo"})
        .json["token"]
    )
    home = (
        app.test_client()
        .get("/api/v1/feed/home", headers={"Authorization": f"Bearer {token}"})
        .json
    )
    assert len(home["items"]) == 20 and home["next_cursor"]


def test_create_user_and_token_from_the_command_line(app):
    runner = app.test_cli_runner()

    boss = runner.invoke(
        args=[
            "create-user",
            "boss@example.com",
            "--name",
            "Big Boss",
            "--password",
            "pw",
            "--admin",
        ]
    )
    rep = runner.invoke(
        args=[
            "create-user",
            "rep@example.com",
            "--name",
            "Rep",
            "--password",
            "pw",
            "--manager",
            "boss@example.com",
        ]
    )
    dup = runner.invoke(
        args=["create-user", "rep@example.com", "--name", "Rep", "--password", "pw"]
    )
    no_manager = runner.invoke(
        args=[
            "create-user",
            "x@example.com",
            "--name",
            "X",
            "--password",
            "pw",
            "--manager",
            "ghost@example.com",
        ]
    )
    token = runner.invoke(args=["create-token", "rep@example.com", "--name", "laptop"])
    ghost = runner.invoke(args=["create-token", "ghost@example.com"])

    assert boss.exit_code == 0 and rep.exit_code == 0
    assert dup.exit_code != 0 and "already exists" in dup.output
    assert no_manager.exit_code != 0 and "ghost@example.com" in no_manager.output
    assert ghost.exit_code != 0
    me = (
        app.test_client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {token.output.strip()}"})
        .json
    )
    assert me["email"] == "rep@example.com" and me["manager"]["name"] == "Big Boss"
