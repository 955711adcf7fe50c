"""A connection's feed stream: out-of-order pushes, duplicates and gaps still give each seq once."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import FeedItem
from feedserver.realtime.streams import FeedStream
from tests.realtime.test_push import _events


@pytest.fixture
def dana_with_items(make, api_as):
    """Dana follows a deal that changed six times: her inbox holds seqs 1..6."""
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    deal = make.record("opportunity", "Acme renewal", owner=raj, amount=0)
    make.follow(dana, deal)
    for n in range(1, 7):
        api_as(raj).patch(f"/records/{deal.id}", json={"fields": {"amount": n}})
    dana.change_deal = lambda n: api_as(raj).patch(
        f"/records/{deal.id}", json={"fields": {"amount": n}}
    )
    return dana


class RecordingStream(FeedStream):
    """A stream whose sends are recorded and whose catch-ups run when the test says."""

    def __init__(self, app, user_id):
        self.sent: list[tuple[str, dict]] = []
        self.spawned: list[tuple[int, bool]] = []
        super().__init__(app, "sid-under-test", user_id, send=self._record)

    def _record(self, event, data, sid):
        self.sent.append((event, data))

    def _spawn(self, generation, *, as_pages):
        self.spawned.append((generation, as_pages))

    def run_catch_up(self):
        generation, as_pages = self.spawned.pop()
        self._catch_up(generation, as_pages)

    def seqs(self):
        result = []
        for event, data in self.sent:
            if event == "feed_item":
                result.append(data["seq"])
            elif event == "feed_page":
                result += [item.seq for item in data["items"]]
        return result


def _item(seq):
    return {"id": 1000 + seq}


def test_duplicates_are_dropped_and_a_gap_is_filled_from_the_database(app, dana_with_items):
    stream = RecordingStream(app, dana_with_items.id)
    stream.go_live(3)
    stream.offer(4, _item(4))
    stream.offer(4, _item(4))
    stream.offer(2, _item(2))
    assert stream.seqs() == [4]

    stream.offer(6, _item(6))  # seq 5's push is late: a gap
    assert stream.seqs() == [4] and stream.catching_up
    stream.offer(5, _item(5))  # it arrives while the gap is being filled
    stream.run_catch_up()

    assert stream.seqs() == [4, 5, 6]
    assert not stream.catching_up
    stream.offer(6, _item(6))
    assert stream.seqs() == [4, 5, 6]


def test_items_pushed_during_a_resume_follow_the_pages_once(app, dana_with_items):
    stream = RecordingStream(app, dana_with_items.id)
    stream.resume(2)
    # Pushed while the pages are being read: one already in them, one not yet.
    stream.offer(5, _item(5))
    stream.offer(7, _item(7))
    assert dana_with_items.change_deal(7).status_code == 200  # committed: Dana's seq 7
    stream.run_catch_up()

    assert stream.seqs() == [3, 4, 5, 6, 7]
    assert stream.sent[0] == ("feed_page", stream.sent[0][1])
    assert not stream.catching_up


def test_a_stream_without_a_cursor_sends_nothing(app, dana_with_items):
    stream = RecordingStream(app, dana_with_items.id)
    stream.offer(1, _item(1))
    assert stream.sent == []


@pytest.fixture
def connect(socket_as):
    def connect(user, **auth):
        client = socket_as(user, **auth)
        assert client.is_connected()
        return client

    return connect


def test_a_cursor_from_the_future_gets_reset_then_resume_works(app, dana_with_items, connect):
    client = connect(dana_with_items, last_seq=99)
    [reset] = _events(client, "reset")
    assert reset["reason"] == "cursor_unknown"
    assert client.emit("resume", {"last_seq": 4}, callback=True) == {"ok": True}
    pages = _events(client, "feed_page")
    assert [item["seq"] for item in pages[0]["items"]] == [5, 6]


def test_a_cursor_older_than_the_retention_window_gets_reset(app, dana_with_items, connect):
    with app.app_context():
        old = app.config["FEED_RETENTION_DAYS"] + 1
        for item in db.session.scalars(sa.select(FeedItem)):
            item.created_at -= timedelta(days=old)
        db.session.commit()
    client = connect(dana_with_items, last_seq=2)
    [reset] = _events(client, "reset")
    assert reset["reason"] == "cursor_expired"
    assert _events(client, "feed_page", timeout=0.2) == []


def test_resume_with_a_bad_cursor_is_answered_with_an_error(app, dana_with_items, connect):
    client = connect(dana_with_items)
    answer = client.emit("resume", {"last_seq": -1}, callback=True)
    assert answer["error"]["code"] == "bad_request"


def test_a_failing_catch_up_read_is_retried_until_the_database_answers(
    app, dana_with_items, monkeypatch
):
    from feedserver.realtime import streams

    real_read, failures = streams.read_after, []

    def flaky_read(user_id, after, page_size, wanted):
        if len(failures) < 2:
            failures.append(after)
            raise sa.exc.TimeoutError("QueuePool limit reached")
        return real_read(user_id, after, page_size, wanted)

    monkeypatch.setattr(streams, "read_after", flaky_read)
    monkeypatch.setattr(streams, "CATCHUP_RETRY_MAX_SECONDS", 0.01)
    monkeypatch.setattr(streams.socketio, "sleep", lambda seconds: None)
    stream = RecordingStream(app, dana_with_items.id)
    stream.resume(2)
    stream.offer(7, _item(7))  # live while the database is refusing: buffered, not lost

    stream.run_catch_up()

    assert failures == [2, 2]
    assert stream.seqs() == [3, 4, 5, 6, 7]  # the pages, then the buffered live item
    assert not stream.catching_up


def test_a_catch_up_overtaken_while_it_waits_for_its_slot_reads_nothing(
    app, dana_with_items, monkeypatch
):
    from contextlib import contextmanager

    from feedserver.realtime import catchup

    reads = []
    real_home_page, real_slot = catchup.home_page, catchup.slot
    monkeypatch.setattr(
        catchup, "home_page", lambda *a, **kw: reads.append(a) or real_home_page(*a, **kw)
    )
    stream = RecordingStream(app, dana_with_items.id)

    @contextmanager
    def slot_taken_after_the_client_resumed_again(*args, **kwargs):
        monkeypatch.setattr(catchup, "slot", real_slot)
        stream.resume(4)  # while the first catch-up queued for its slot
        yield

    monkeypatch.setattr(catchup, "slot", slot_taken_after_the_client_resumed_again)
    stream.resume(2)
    stream.run_catch_up()
    assert reads == [] and stream.sent == []

    stream.run_catch_up()
    assert len(reads) == 1 and stream.seqs() == [5, 6]
