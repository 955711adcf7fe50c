"""Very large audiences are fanned out after commit, in batches, each recipient exactly once."""

import sqlalchemy as sa

from config import TestConfig
from feedserver import create_app
from feedserver.extensions import db
from feedserver.models import InboxEntry, User
from feedserver.records.types import ensure_record_types


def _crowd(make, app, size):
    rep = make.user("rep@example.com", "Raj Patel")
    deal = make.record("opportunity", "Big deal", owner=rep, stage="Proposal")
    with app.app_context():
        fans = [User(email=f"fan{i}@example.com", name=f"Fan {i}") for i in range(size)]
        db.session.add_all(fans)
        db.session.flush()
        from feedserver.models import Follow

        db.session.add_all(
            Follow(follower_id=f.id, subject_kind="record", subject_id=deal.id) for f in fans
        )
        db.session.commit()
        return rep, deal, [f.id for f in fans]


def test_large_audience_waits_for_the_worker_then_each_gets_one_row(make, app, api_as, monkeypatch):
    monkeypatch.setitem(app.config, "FANOUT_SYNC_LIMIT", 10)
    monkeypatch.setitem(app.config, "FANOUT_BATCH_SIZE", 7)
    rep, deal, fans = _crowd(make, app, 25)

    response = api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxEntry)) == 0

    result = app.test_cli_runner().invoke(args=["feed", "fan-out"])
    again = app.test_cli_runner().invoke(args=["feed", "fan-out"])

    assert result.exit_code == 0 and "25 inbox rows" in result.output, result.output
    assert "0 inbox rows" in again.output
    with app.app_context():
        rows = db.session.execute(sa.select(InboxEntry.user_id, InboxEntry.seq)).all()
    assert sorted(uid for uid, _ in rows) == sorted(fans)
    assert all(seq == 1 for _, seq in rows)


def test_someone_deactivated_before_the_job_runs_gets_no_row_and_no_gap(
    make, app, api_as, monkeypatch
):
    monkeypatch.setitem(app.config, "FANOUT_SYNC_LIMIT", 10)
    rep, deal, fans = _crowd(make, app, 12)
    gone = fans[3]

    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})
    with app.app_context():
        db.session.get(User, gone).active = False
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["feed", "fan-out"])
    with app.app_context():
        db.session.get(User, gone).active = True
        db.session.commit()
    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    app.test_cli_runner().invoke(args=["feed", "fan-out"])

    assert "11 inbox rows" in result.output, result.output
    with app.app_context():
        rows = db.session.execute(sa.select(InboxEntry.seq).where(InboxEntry.user_id == gone)).all()
    # Their counter did not move for the item they missed: the next one is seq 1, not 2.
    assert [seq for (seq,) in rows] == [1]


def test_small_audience_is_written_in_the_request(make, app, api_as, monkeypatch):
    monkeypatch.setitem(app.config, "FANOUT_SYNC_LIMIT", 10)
    rep, deal, fans = _crowd(make, app, 10)

    api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"stage": "Negotiation"}})

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxEntry)) == 10


def test_background_task_finishes_the_job_after_commit(tmp_path):
    class BackgroundConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'bg.db'}"
        FANOUT_BACKGROUND = True
        FANOUT_SYNC_LIMIT = 3
        FANOUT_BATCH_SIZE = 2

    app = create_app(BackgroundConfig)
    with app.app_context():
        db.create_all()
        ensure_record_types()
        db.session.commit()
    from tests.factories import Factory

    make = Factory(app)
    rep = make.user("rep@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, stage="A")
    fans = [make.user(f"fan{i}@example.com", token=False) for i in range(5)]
    for fan in fans:
        make.follow(fan, deal)
    client = app.test_client()
    response = client.patch(
        f"/api/v1/records/{deal.id}",
        json={"fields": {"stage": "B"}},
        headers={"Authorization": f"Bearer {rep.token}"},
    )
    assert response.status_code == 200

    import time

    deadline = time.monotonic() + 10
    delivered = 0
    while time.monotonic() < deadline:
        with app.app_context():
            delivered = db.session.scalar(sa.select(sa.func.count()).select_from(InboxEntry))
        if delivered == 5:
            break
        time.sleep(0.05)
    assert delivered == 5
    with app.app_context():
        db.engine.dispose()
