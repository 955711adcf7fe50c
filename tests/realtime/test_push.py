"""The after-commit push, in process: committed items and events ring the right rooms, once."""

import threading
import time

import pytest
import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.extensions import socketio as server_socketio
from feedserver.feed.events import queue_event
from feedserver.feed.publish import take_pending_deliveries
from feedserver.models import FeedItem, User
from feedserver.realtime import push as push_module


@pytest.fixture
def connect(socket_as):
    """connect(user, last_seq=...) → a connected in-process socket, caught up if resuming."""
    return lambda user, **auth: _socket(socket_as, user, **auth)


def _socket(socket_as, user, **auth):
    client = socket_as(user, **auth)
    assert client.is_connected()
    if "last_seq" in auth:
        # Let the catch-up finish first: in-memory SQLite shares one connection across threads.
        assert _events(client, "feed_page")[-1]["has_more"] is False
    return client


def _events(client, name, want=1, timeout=5.0):
    """Events named `name` received so far, waiting (bounded) until at least `want` arrived."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        seen += [e["args"][0] for e in client.get_received() if e["name"] == name]
        if len(seen) >= want or time.monotonic() > deadline:
            return seen
        time.sleep(0.01)


@pytest.fixture
def people(make):
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    olga = make.user("olga@example.com", "Olga Fan")
    sam = make.user("sam@example.com", "Sam Stranger")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting")
    make.follow(dana, deal)
    make.follow(olga, raj)
    return raj, dana, olga, sam, deal


def test_one_commit_rings_each_followers_room_with_their_own_seq(
    app, people, api_as, make, connect
):
    raj, dana, olga, sam, deal = people
    # Olga already has an item, so her seq differs from Dana's for the same item.
    make.record("account", "Olga's earlier item", owner=raj)
    sockets = {user.email: connect(user) for user in (raj, dana, olga, sam)}

    response = api_as(raj).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    assert response.status_code == 200

    dana_items = _events(sockets["dana@example.com"], "feed_item")
    olga_items = _events(sockets["olga@example.com"], "feed_item")
    assert [e["seq"] for e in dana_items] == [1]
    assert [e["seq"] for e in olga_items] == [2]
    assert dana_items[0]["item"] == olga_items[0]["item"]
    home = api_as(dana).get("/feed/home").json["items"][0]
    assert dana_items[0]["item"] == {
        k: v for k, v in home.items() if k not in ("seq", "read_at", "viewer")
    }
    for quiet in ("raj@example.com", "sam@example.com"):
        assert _events(sockets[quiet], "feed_item", timeout=0.2) == []


def test_the_item_is_emitted_once_for_all_recipients(app, people, api_as, monkeypatch, connect):
    raj, dana, olga, _, deal = people
    sockets = [connect(dana), connect(olga)]
    emits = []
    real_emit = server_socketio.emit
    monkeypatch.setattr(
        server_socketio, "emit", lambda *a, **kw: (emits.append((a, kw)), real_emit(*a, **kw))
    )
    api_as(raj).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    # The push runs after the request: once both followers have the item, it has been emitted.
    for socket in sockets:
        assert len(_events(socket, "feed_item")) == 1
    assert len(emits) == 1
    (event, data), kwargs = emits[0]
    assert event == "feed_item"
    assert (
        set(data["seqs"])
        == set(kwargs["to"])
        == {f"user:{u}" for u in (people[1].id, people[2].id)}
    )


def test_rolled_back_changes_ring_nobody(app, people, connect):
    _, dana, *_ = people
    socket = connect(dana)
    with app.app_context():
        db.session.get(User, dana.id).name = "Dana Renamed"
        queue_event("comment_added", {"item_id": 1}, [dana.id])
        db.session.rollback()
        assert take_pending_deliveries(db.session) == []
        db.session.commit()
    assert _events(socket, "comment_added", timeout=0.2) == []


def test_queued_feature_events_reach_only_their_users_after_commit(app, people, connect):
    raj, dana, olga, *_ = people
    dana_socket, olga_socket = connect(dana), connect(olga)
    with app.app_context():
        queue_event("like_changed", {"item_id": 9, "like_count": 3}, [dana.id])
        assert _events(dana_socket, "like_changed", timeout=0.1) == []  # not before commit
        db.session.commit()
    assert _events(dana_socket, "like_changed") == [{"item_id": 9, "like_count": 3}]
    assert _events(olga_socket, "like_changed", timeout=0.2) == []


def test_a_failing_push_never_breaks_the_request_that_committed(
    app, people, api_as, monkeypatch, connect
):
    raj, dana, *_ = people
    socket = connect(dana, last_seq=0)
    exploded = threading.Event()

    def broken(items):
        exploded.set()
        raise RuntimeError("presenter exploded")

    monkeypatch.setattr(push_module, "item_payloads", broken)
    response = api_as(raj).patch(f"/records/{people[4].id}", json={"fields": {"stage": "Won"}})
    assert response.status_code == 200
    assert exploded.wait(timeout=5.0)  # the push (after the response) did fail
    assert api_as(dana).get("/feed/home").json["items"][0]["changes"][0]["new"] == "Won"
    with app.app_context():
        verbs = db.session.scalars(sa.select(FeedItem.verb).order_by(FeedItem.id)).all()
        assert verbs == ["create", "update"]

    # The database is the truth: the next push fills the gap for the connected client.
    monkeypatch.undo()
    api_as(raj).patch(f"/records/{people[4].id}", json={"fields": {"stage": "Lost"}})
    seqs = [e["seq"] for e in _events(socket, "feed_item", want=2)]
    assert seqs == [1, 2]
