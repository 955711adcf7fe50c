"""Real server processes (wsgi.py) on free ports, and Socket.IO clients that record what arrives.

A served database is shared by the test process (which builds users, records and follows) and
the server processes: on the suite's PostgreSQL run it is the suite's own database (so the
autouse cleanup applies); on the SQLite run it is a file in tmp_path with its own schema.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import engineio
import pytest
import requests
import socketio
from flask import Flask

from config import TestConfig
from feedserver.extensions import db
from feedserver.extensions import socketio as server_socketio
from feedserver.records.apply import apply_change
from feedserver.records.changes import RecordChange
from feedserver.records.types import ensure_record_types
from tests.factories import Factory

ROOT = Path(__file__).resolve().parents[2]
SUITE_DB = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = SUITE_DB.startswith(("postgres://", "postgresql://"))
REDIS_URL = os.environ.get("REALTIME_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
START_TIMEOUT = 60.0
WAIT_TIMEOUT = 45.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


class ServedDatabase:
    """A database URL server processes use, and a factory writing into it."""

    def __init__(self, url: str, make: Factory):
        self.url, self.make = url, make

    def change_record(self, record_id: int, actor, fields: dict) -> None:
        """Change a record straight in the database (no server process involved)."""
        with self.make.app.app_context():
            apply_change(
                RecordChange(
                    action="update",
                    record_type="opportunity",
                    record_id=record_id,
                    actor_id=actor.id,
                    fields=fields,
                )
            )
            db.session.commit()


@pytest.fixture
def served_db(app, make, tmp_path):
    if ON_POSTGRES:
        yield ServedDatabase(SUITE_DB, make)
        return
    url = f"sqlite:///{tmp_path / 'served.db'}"
    # A bare Flask app bound to the file: create_app() would rebind the global Socket.IO.
    files_app = Flask("served-db")
    files_app.config.from_object(TestConfig)
    files_app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(files_app)
    with files_app.app_context():
        db.create_all()
        ensure_record_types()
        db.session.commit()
    yield ServedDatabase(url, Factory(files_app))
    with files_app.app_context():
        db.session.remove()
        db.engine.dispose()


class ServerProcess:
    """`python wsgi.py` on a free port with its own environment; stopped in teardown."""

    def __init__(self, tmp_path: Path, database: str, mode: str = "eventlet", **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mode = mode
        self.log_path = tmp_path / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database,
            # One installation shares one key: it signs sessions and decrypts the integration
            # secrets this test process wrote.
            "SECRET_KEY": TestConfig.SECRET_KEY,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SOCKETIO_ASYNC_MODE": mode,
            "REALTIME_CATCHUP_PAGE_SIZE": "20",
            "OUTBOUND_WORKER_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in env.items()},
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "ServerProcess":
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "wsgi.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                # Connection: close, so a probe never holds one of the server's slots.
                response = requests.get(
                    f"{self.url}/socket.io/?EIO=4&transport=polling",
                    headers={"Connection": "close"},
                    timeout=1,
                )
                if response.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become ready:\n{self.log()}")

    def terminate(self) -> int:
        """Send SIGTERM and wait for the process to end; returns its exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        finally:
            self._log.close()

    def restart(self) -> "ServerProcess":
        """Start again on the same port (clients reconnect to the same URL)."""
        return self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if not self._log.closed:
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def start_server(tmp_path):
    """start_server(database_url, mode=..., **env) → a running ServerProcess."""
    started: list[ServerProcess] = []

    def start(database: str, mode: str = "eventlet", **env) -> ServerProcess:
        server = ServerProcess(tmp_path, database, mode, **env)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


class _InOrderEngineIOClient(engineio.Client):
    # engineio's client runs each message's handler in a thread of its own, so two pages sent
    # back to back could be recorded the wrong way round; here they are handled as they arrive,
    # in order, as a browser's socket.io-client does (the handlers only record and notify).
    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _InOrderClient(socketio.Client):
    def _engineio_client_class(self):
        return _InOrderEngineIOClient


class FeedClient:
    """A python-socketio client that keeps `last_seq` and records every feed item it gets."""

    def __init__(self, token: str | None = None, last_seq: int | None = None, **client_kw):
        self.token, self.last_seq = token, last_seq
        self.received: list[tuple[int, dict]] = []  # (seq, item) in arrival order
        self.pages: list[dict] = []
        self.resets: list[dict] = []
        self.events: list[tuple[str, dict]] = []
        self.connects = 0
        self.changed = threading.Condition()
        self.sio = _InOrderClient(
            reconnection_delay=0.1, reconnection_delay_max=0.5, randomization_factor=0, **client_kw
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("feed_item", self._on_item)
        self.sio.on("feed_page", self._on_page)
        self.sio.on("reset", self._on_reset)
        self.sio.on("*", self._on_other)

    def auth(self) -> dict:
        data = {"token": self.token} if self.token else {}
        if self.last_seq is not None:
            data["last_seq"] = self.last_seq
        return data

    def connect(self, url: str, **kw) -> "FeedClient":
        # auth as a callable: every reconnect sends the current last_seq.
        self.sio.connect(url, auth=self.auth, wait_timeout=10, **kw)
        return self

    def _notify(self):
        with self.changed:
            self.changed.notify_all()

    def _on_connect(self):
        self.connects += 1
        self._notify()

    def _accept(self, seq: int, item: dict) -> None:
        self.received.append((seq, item))
        self.last_seq = seq if self.last_seq is None else max(self.last_seq, seq)

    def _on_item(self, data):
        self._accept(data["seq"], data["item"])
        self._notify()

    def _on_page(self, data):
        self.pages.append(data)
        for item in data["items"]:
            self._accept(item["seq"], item)
        self._notify()

    def _on_reset(self, data):
        self.resets.append(data)
        self._notify()

    def _on_other(self, event, data=None):
        self.events.append((event, data))
        self._notify()

    def wait_for(self, condition, timeout: float = WAIT_TIMEOUT, what: str = "condition"):
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}; got {self.seqs()}")
                self.changed.wait(remaining)

    def seqs(self) -> list[int]:
        return [seq for seq, _ in self.received]

    def item_ids(self) -> list[int]:
        return [item["id"] for _, item in self.received]

    def caught_up(self) -> bool:
        return bool(self.pages) and not self.pages[-1]["has_more"]

    def close(self) -> None:
        if self.sio.connected or self.sio._reconnect_task:
            self.sio.disconnect()


@pytest.fixture
def feed_client():
    """feed_client(token=..., last_seq=...) → a FeedClient, disconnected in teardown."""
    clients: list[FeedClient] = []

    def make_client(**kw) -> FeedClient:
        client = FeedClient(**kw)
        clients.append(client)
        return client

    yield make_client
    for client in clients:
        client.close()


def patch_record(server_url: str, token: str, record_id: int, fields: dict) -> dict:
    """Change a record through a server's API (its after-commit push rings the rooms)."""
    response = requests.patch(
        f"{server_url}/api/v1/records/{record_id}",
        json={"fields": fields},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def home_feed(server_url: str, token: str, **params) -> dict:
    response = requests.get(
        f"{server_url}/api/v1/feed/home",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def socket_as(app, client):
    """socket_as(user, **auth) → an in-process Socket.IO test client, disconnected afterwards.

    Disconnecting matters: a connection left open would keep its stream, and a later test's
    pushes to a recycled user id would start catch-ups against that test's database.
    """
    opened = []

    def connect(user=None, flask_client=None, **auth):
        if user is not None and user.token:
            auth = {"token": user.token, **auth}
        test_socket = server_socketio.test_client(
            app, flask_test_client=flask_client or client, auth=auth or None
        )
        opened.append(test_socket)
        return test_socket

    yield connect
    for test_socket in opened:
        if test_socket.is_connected():
            test_socket.disconnect()
