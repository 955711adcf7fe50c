"""PostgreSQL + Redis: several processes, a worker, and a slow query that freezes no one."""

import subprocess
import sys
import threading
import time
import uuid

import psycopg2
import pytest
import requests

from tests.conftest import require_service
from tests.realtime.conftest import (
    REDIS_URL,
    ROOT,
    SUITE_DB,
    patch_record,
    redis_available,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.postgres_pass]


@pytest.fixture
def deal_world(served_db):
    make = served_db.make
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting", amount=0)
    make.follow(dana, deal)
    return raj, dana, deal


@pytest.fixture
def queue_env():
    """Redis as the message queue, on a channel of this test's own."""
    require_service(redis_available(), f"Redis at {REDIS_URL}")
    return {"SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "SOCKETIO_CHANNEL": f"rt-{uuid.uuid4().hex}"}


@pytest.mark.redis
def test_item_ingested_through_process_b_reaches_a_client_of_process_a(
    served_db, deal_world, queue_env, start_server, feed_client
):
    raj, dana, deal = deal_world
    process_a = start_server(served_db.url, **queue_env)
    process_b = start_server(served_db.url, **queue_env)
    client = feed_client(token=dana.token, last_seq=0).connect(process_a.url)
    client.wait_for(client.caught_up, what="the catch-up")

    patch_record(process_b.url, raj.token, deal.id, {"stage": "Closed Won"})
    patch_record(process_a.url, raj.token, deal.id, {"amount": 5})

    client.wait_for(lambda: len(client.received) == 2, what="both items")
    assert client.seqs() == [1, 2]
    assert [item["changes"][0]["new"] for _, item in client.received] == ["Closed Won", 5]


@pytest.mark.redis
def test_a_worker_without_a_server_emits_through_the_queue(
    served_db, deal_world, queue_env, start_server, feed_client
):
    raj, dana, deal = deal_world
    server = start_server(served_db.url, **queue_env)
    client = feed_client(token=dana.token, last_seq=0).connect(server.url)
    client.wait_for(client.caught_up, what="the catch-up")

    # A separate process (a CLI job, a queue consumer) changes the record and commits;
    # its after-commit push publishes to Redis, and the server delivers.
    worker = (
        "from feedserver import create_app\n"
        "from feedserver.extensions import db\n"
        "from feedserver.records.apply import apply_change\n"
        "from feedserver.records.changes import RecordChange\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    apply_change(RecordChange(action='update', record_type='opportunity',"
        f" record_id={deal.id}, actor_id={raj.id}, fields={{'stage': 'From worker'}}))\n"
        "    db.session.commit()\n"
    )
    env = {**server.env, "SOCKETIO_ASYNC_MODE": "threading", "PORT": "0", **queue_env}
    done = subprocess.run(
        [sys.executable, "-c", worker], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()

    client.wait_for(lambda: len(client.received) == 1, what="the worker's item")
    assert client.received[0][1]["changes"][0]["new"] == "From worker"


def _sleeping_queries() -> int:
    with psycopg2.connect(SUITE_DB) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()"
        )
        return cur.fetchone()[0]


@pytest.mark.parametrize("mode", ["eventlet", "gevent", "threading"])
def test_a_two_second_query_does_not_freeze_other_connections(
    served_db, mode, start_server, feed_client
):
    dana = served_db.make.user("dana@example.com", "Dana Fan")
    server = start_server(served_db.url, mode=mode, REALTIME_DEBUG_ROUTES="1")
    client = feed_client(token=dana.token).connect(server.url)

    slow = {}

    def slow_request():
        slow["response"] = requests.get(f"{server.url}/_debug/db-sleep?seconds=2", timeout=30)
        slow["finished"] = time.monotonic()

    request = threading.Thread(target=slow_request)
    request.start()
    deadline = time.monotonic() + 10
    while _sleeping_queries() == 0:
        assert time.monotonic() < deadline, "the slow query never started"
        time.sleep(0.02)

    round_trips = []
    for _ in range(5):
        started = time.monotonic()
        assert client.sio.call("ping", timeout=5) == {"pong": True}
        answered = time.monotonic()
        round_trips.append(answered - started)
    still_sleeping = _sleeping_queries()
    request.join(timeout=30)

    assert slow["response"].status_code == 200
    assert still_sleeping == 1, "the pings must be answered while the query still runs"
    assert answered < slow["finished"]
    assert max(round_trips) < 0.1, round_trips
