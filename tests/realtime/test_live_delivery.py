"""Against a real server process: live items reach exactly their followers, once, in order."""

import threading

import pytest

from tests.realtime.conftest import home_feed, patch_record

pytestmark = pytest.mark.slow


@pytest.fixture
def deal_world(served_db):
    """Raj owns a deal Dana follows; Sam follows nothing. Raj's changes reach Dana only."""
    make = served_db.make
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    sam = make.user("sam@example.com", "Sam Stranger")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting", amount=1)
    make.follow(dana, deal)
    return raj, dana, sam, deal


@pytest.mark.parametrize("mode", ["eventlet", "gevent", "threading"])
def test_stage_change_reaches_the_follower_live_and_no_one_else(
    served_db, deal_world, start_server, feed_client, mode
):
    raj, dana, sam, deal = deal_world
    server = start_server(served_db.url, mode=mode)
    follower = feed_client(token=dana.token, last_seq=0).connect(server.url)
    stranger = feed_client(token=sam.token, last_seq=0).connect(server.url)
    actor = feed_client(token=raj.token, last_seq=0).connect(server.url)
    for client in (follower, stranger, actor):
        client.wait_for(client.caught_up, what="the catch-up to finish")

    patch_record(server.url, raj.token, deal.id, {"stage": "Closed Won"})
    # A second change after it: once each client has seen what follows, the first is settled.
    patch_record(server.url, raj.token, deal.id, {"amount": 2})

    follower.wait_for(lambda: len(follower.received) == 2, what="two items")
    seq, item = follower.received[0]
    assert item["changes"] == [{"field": "stage", "old": "Prospecting", "new": "Closed Won"}]
    # The shared item, exactly as the API shows it; only the reader's own state is left out.
    over_http = home_feed(server.url, dana.token)["items"][1]
    assert over_http["viewer"] == {"liked": False, "bookmarked": False, "vote": None}
    assert item == {k: v for k, v in over_http.items() if k not in ("seq", "read_at", "viewer")}
    assert follower.seqs() == [seq, seq + 1]
    # Sam and Raj get nothing: prove it with a ping round trip after both pushes.
    for client in (stranger, actor):
        assert client.sio.call("ping", timeout=10) == {"pong": True}
        assert client.received == []


def test_reconnect_with_last_seq_gets_exactly_the_fifty_missed_items_in_order(
    served_db, deal_world, start_server, feed_client
):
    raj, dana, _, deal = deal_world
    server = start_server(served_db.url)
    dana_client = feed_client(token=dana.token, last_seq=0).connect(server.url)
    patch_record(server.url, raj.token, deal.id, {"stage": "Qualification"})
    dana_client.wait_for(lambda: len(dana_client.received) == 1, what="the first item")
    dana_client.sio.disconnect()
    last_seq = dana_client.last_seq

    missed = [patch_record(server.url, raj.token, deal.id, {"amount": n}) for n in range(2, 52)]
    assert len(missed) == 50

    again = feed_client(token=dana.token, last_seq=last_seq).connect(server.url)
    again.wait_for(again.caught_up, what="the catch-up to finish")

    assert again.seqs() == list(range(last_seq + 1, last_seq + 51))
    assert [item["changes"][0]["new"] for _, item in again.received] == list(range(2, 52))
    # Pages of REALTIME_CATCHUP_PAGE_SIZE=20: 20, 20, 10, the last saying "live from here".
    assert [len(page["items"]) for page in again.pages] == [20, 20, 10]
    assert [page["has_more"] for page in again.pages] == [True, True, False]
    # Each page is what GET /feed/home?after_seq=N answers, item for item.
    over_http = home_feed(server.url, dana.token, after_seq=last_seq, limit=20)
    assert again.pages[0]["items"] == over_http["items"]


def test_items_committed_during_the_catch_up_arrive_exactly_once(
    served_db, deal_world, start_server, feed_client
):
    raj, dana, _, deal = deal_world
    server = start_server(served_db.url, REALTIME_CATCHUP_PAGE_SIZE="5")
    for n in range(40):
        patch_record(server.url, raj.token, deal.id, {"amount": 100 + n})

    during: list[int] = []

    def commit_while_catching_up():
        for n in range(15):
            during.append(patch_record(server.url, raj.token, deal.id, {"amount": 500 + n})["id"])

    writer = threading.Thread(target=commit_while_catching_up)
    client = feed_client(token=dana.token, last_seq=0)
    client.sio.on("connect", lambda: (client._on_connect(), writer.start()))
    client.connect(server.url)
    writer.join(timeout=60)
    assert not writer.is_alive()

    client.wait_for(lambda: len(client.received) >= 55, what="all 55 items")
    assert client.sio.call("ping", timeout=10) == {"pong": True}
    assert client.seqs() == list(range(1, 56))
    amounts = [item["changes"][0]["new"] for _, item in client.received]
    assert amounts == [100 + n for n in range(40)] + [500 + n for n in range(15)]
