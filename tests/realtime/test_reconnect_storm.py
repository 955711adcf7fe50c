"""Every client of a restarted server reconnects at once, through a pool of two connections.

The pool is smaller than the crowd on purpose: a handshake that held its connection while the
stream's catch-up asked for a second one would deadlock it, and a catch-up that gave up would
leave its client without live items. Everyone must come back with every item, once, in order.
"""

import pytest

from tests.realtime.conftest import patch_record

pytestmark = pytest.mark.slow

CLIENTS = 12
SMALL_POOL = {
    "DATABASE_POOL_SIZE": 2,
    "DATABASE_MAX_OVERFLOW": 0,
    "DATABASE_POOL_TIMEOUT": 5,
    "REALTIME_HANDSHAKE_CONCURRENCY": 1,
    "REALTIME_CATCHUP_CONCURRENCY": 1,
}


# A dozen clients each connecting, resuming and waiting in turn: slow on a loaded machine.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", ["eventlet", "threading"])
def test_a_crowd_reconnecting_through_a_small_pool_misses_nothing_and_gets_nothing_twice(
    served_db, start_server, feed_client, mode
):
    make = served_db.make
    raj = make.user("raj@example.com", "Raj Patel")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting", amount=0)
    followers = [make.user(f"f{n}@example.com", f"Follower {n}") for n in range(CLIENTS)]
    for follower in followers:
        make.follow(follower, deal)
    server = start_server(served_db.url, mode=mode, **SMALL_POOL)
    clients = [feed_client(token=f.token, last_seq=0).connect(server.url) for f in followers]
    patch_record(server.url, raj.token, deal.id, {"amount": 1})
    for client in clients:
        client.wait_for(lambda c=client: len(c.received) == 1, what="the first live item")

    assert server.terminate() == 0
    for n in range(2, 8):
        served_db.change_record(deal.id, raj, {"amount": n})
    server.restart()
    for client in clients:
        client.wait_for(lambda c=client: c.connects >= 2, what="the automatic reconnect")
    # Live items while the crowd is still catching up.
    for n in range(8, 11):
        patch_record(server.url, raj.token, deal.id, {"amount": n})

    for client in clients:
        client.wait_for(lambda c=client: len(c.received) >= 10, what="all ten items")
    patch_record(server.url, raj.token, deal.id, {"amount": 11})
    for client in clients:
        client.wait_for(lambda c=client: len(c.received) >= 11, what="a live item afterwards")
        assert client.seqs() == list(range(1, 12))
        assert [item["changes"][0]["new"] for _, item in client.received] == list(range(1, 12))
