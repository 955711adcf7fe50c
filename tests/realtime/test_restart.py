"""Stopping a server process (SIGTERM) drops its sockets; clients come back and miss nothing."""

import pytest

from tests.realtime.conftest import patch_record

pytestmark = pytest.mark.slow


def test_server_killed_and_restarted_client_resumes_with_nothing_lost(
    served_db, start_server, feed_client
):
    make = served_db.make
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting", amount=0)
    make.follow(dana, deal)
    server = start_server(served_db.url)
    client = feed_client(token=dana.token, last_seq=0).connect(server.url)
    for n in range(1, 4):
        patch_record(server.url, raj.token, deal.id, {"amount": n})
    client.wait_for(lambda: len(client.received) == 3, what="three live items")

    assert server.terminate() == 0
    # While no server runs, other writers (a worker, another process) keep committing.
    for n in range(4, 14):
        served_db.change_record(deal.id, raj, {"amount": n})
    server.restart()

    client.wait_for(lambda: client.connects >= 2, what="the automatic reconnect")
    client.wait_for(lambda: len(client.received) >= 13, what="the missed items")
    patch_record(server.url, raj.token, deal.id, {"amount": 14})
    client.wait_for(lambda: len(client.received) >= 14, what="a live item after the resume")

    assert client.seqs() == list(range(1, 15))
    assert [item["changes"][0]["new"] for _, item in client.received] == list(range(1, 15))
