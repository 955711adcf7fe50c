"""deploy/cluster.py: N processes behind nginx with sticky sessions; a backend can die."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests

from config import TestConfig
from tests.conftest import require_service
from tests.realtime.conftest import (
    REDIS_URL,
    ROOT,
    START_TIMEOUT,
    free_port,
    patch_record,
    redis_available,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.postgres_pass, pytest.mark.redis]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _wait(condition, what: str, timeout: float = START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=1).ok
    except requests.RequestException:
        return False


@pytest.fixture
def cluster(served_db, tmp_path):
    """Two backends on PostgreSQL + Redis behind nginx, started by the deploy script."""
    require_service(redis_available(), f"Redis at {REDIS_URL}")
    require_service(os.access(NGINX, os.X_OK), "nginx (apt-get install nginx)")
    port, backend_port = free_port(), free_port()
    # Two consecutive free ports for the backends.
    while not all(_port_free(backend_port + n) for n in range(2)):
        backend_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": served_db.url,
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": f"rt-{uuid.uuid4().hex}",
        "SOCKETIO_ASYNC_MODE": "eventlet",
        "SECRET_KEY": TestConfig.SECRET_KEY,
        "OUTBOUND_WORKER_ENABLED": "0",
        "PYTHONUNBUFFERED": "1",
    }
    workdir = tmp_path / "cluster"
    log = open(tmp_path / "cluster.log", "ab")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            sys.executable,
            "deploy/cluster.py",
            "--processes",
            "2",
            "--port",
            str(port),
            "--backend-port",
            str(backend_port),
            "--workdir",
            str(workdir),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for n in range(2):
            _wait(lambda n=n: _answers(f"http://127.0.0.1:{backend_port + n}"), "a backend")
        _wait(lambda: _answers(url), "nginx")
        yield url, workdir
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
            log.close()


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _backends(workdir) -> dict[int, int]:
    return {b["port"]: b["pid"] for b in json.loads((workdir / "backends.json").read_text())}


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_clients_behind_nginx_survive_each_backend_being_stopped(
    served_db, cluster, feed_client, transport
):
    url, workdir = cluster
    make = served_db.make
    raj = make.user("raj@example.com", "Raj Patel")
    dana = make.user("dana@example.com", "Dana Fan")
    deal = make.record("opportunity", "Acme renewal", owner=raj, stage="Prospecting", amount=0)
    make.follow(dana, deal)
    client = feed_client(token=dana.token, last_seq=0).connect(url, transports=[transport])
    patch_record(url, raj.token, deal.id, {"amount": 1})
    client.wait_for(lambda: len(client.received) == 1, what="a live item through nginx")

    # Stop each backend in turn: whichever held the socket, the client reconnects through
    # nginx to the other and resumes; items committed meanwhile arrive once.
    amount = 1
    for port, pid in sorted(_backends(workdir).items()):
        os.kill(pid, signal.SIGTERM)
        # Once the supervisor saw it exit, nginx sends new requests to the other backend.
        _wait(lambda p=port, old=pid: _backends(workdir)[p] != old, "the backend's restart")
        for _ in range(2):
            amount += 1
            patch_record(url, raj.token, deal.id, {"amount": amount})
        _wait(lambda p=port: _answers(f"http://127.0.0.1:{p}"), "the restarted backend")

    client.wait_for(lambda: len(client.received) == amount, what="every item")
    assert client.connects >= 2
    assert client.seqs() == list(range(1, amount + 1))
    assert [item["changes"][0]["new"] for _, item in client.received] == list(range(1, amount + 1))
