"""Configuration classes for Feedserver; every value comes from an environment variable."""

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _env_gc_thresholds(name: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    """Three non-negative integers, as gc.set_threshold takes them ("50000,20,10")."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    parts = value.split(",")
    if len(parts) != 3 or not all(part.strip().isdigit() for part in parts):
        raise ValueError(f"{name} must be three non-negative integers like 50000,20,10: {value!r}")
    first, second, third = (int(part) for part in parts)
    return first, second, third


def database_url(value: str) -> str:
    """Pin PostgreSQL URLs to psycopg2, the driver that cooperates with eventlet and gevent."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg2://" + value[len(prefix) :]
    return value


DATABASE_POOL_SIZE = _env_int("DATABASE_POOL_SIZE", 10)


def engine_options(url: str) -> dict:
    """SQLAlchemy engine options: a sized pool (an in-memory SQLite database keeps its own).

    Under eventlet or gevent nothing but the pool bounds how many greenlets use the database at
    once, so the pool is sized here, and a greenlet waits at most DATABASE_POOL_TIMEOUT for a
    connection rather than SQLAlchemy's 30 s (a refused handshake is retried by the client).
    """
    options: dict = {"pool_pre_ping": True}
    if ":memory:" not in url and "mode=memory" not in url:
        options["pool_size"] = DATABASE_POOL_SIZE
        options["max_overflow"] = _env_int("DATABASE_MAX_OVERFLOW", 10)
        options["pool_timeout"] = _env_int("DATABASE_POOL_TIMEOUT", 10)
    return options


def _secret_key() -> str:
    """Use SECRET_KEY, or a random key kept in instance/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    INSTANCE_DIR.mkdir(exist_ok=True)
    key = os.urandom(32).hex()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Production-safe defaults: SQLite in instance/, one process, eventlet."""

    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'feedserver.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)

    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _env_int("PORT", 5000)
    # The Socket.IO server's concurrency model; set explicitly, never autodetected.
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Redis pub/sub channel shared by the processes of one installation.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "feedserver")
    # Origins allowed to open a socket; empty means "same origin as the server only".
    SOCKETIO_CORS_ORIGINS = _env_list("SOCKETIO_CORS_ORIGINS")
    # Eventlet's WSGI server caps concurrent connections at 1,024 unless told otherwise.
    MAX_CONNECTIONS = _env_int("MAX_CONNECTIONS", 20000)
    # Connection attempts the kernel queues before the server accepts them (eventlet, gevent):
    # a reconnect storm needs thousands; Linux caps it at net.core.somaxconn.
    LISTEN_BACKLOG = _env_int("LISTEN_BACKLOG", 4096)
    # How far back a reconnecting client may resume before being told to reload.
    FEED_RETENTION_DAYS = _env_int("FEED_RETENTION_DAYS", 30)
    # Recipients written per INSERT ... SELECT during fan-out (their ids are one bound value, so
    # size costs no bound parameters), and per transaction of a background fan-out job.
    FANOUT_BATCH_SIZE = _env_int("FANOUT_BATCH_SIZE", 5000)
    # Audiences larger than this are fanned out by a background job after the item commits.
    FANOUT_SYNC_LIMIT = _env_int("FANOUT_SYNC_LIMIT", 2000)
    FANOUT_BACKGROUND = _env_bool("FANOUT_BACKGROUND", True)
    # Apply webhook events queued by `Prefer: respond-async` in the server, after the answer;
    # else `flask webhooks apply-queued` does.
    WEBHOOK_QUEUE_BACKGROUND = _env_bool("WEBHOOK_QUEUE_BACKGROUND", True)
    FEED_PAGE_SIZE = _env_int("FEED_PAGE_SIZE", 20)
    # Items per `feed_page` event when a reconnecting socket catches up.
    REALTIME_CATCHUP_PAGE_SIZE = _env_int("REALTIME_CATCHUP_PAGE_SIZE", 100)
    # Catch-up reads running at once per process; fewer than the pool, so that handshakes and
    # webhooks still get connections while every client of a reconnect storm catches up. None
    # starts while handshakes queue (realtime.gates).
    REALTIME_CATCHUP_CONCURRENCY = _env_int(
        "REALTIME_CATCHUP_CONCURRENCY", max(1, DATABASE_POOL_SIZE // 2)
    )
    # Socket handshakes using the database at once per process (the rest wait, holding none).
    REALTIME_HANDSHAKE_CONCURRENCY = _env_int(
        "REALTIME_HANDSHAKE_CONCURRENCY", max(1, DATABASE_POOL_SIZE // 2)
    )
    # The team radar lists key accounts nobody has visited in this many days.
    RADAR_STALE_DAYS = _env_int("RADAR_STALE_DAYS", 14)
    # The server process's garbage-collector thresholds (gc.set_threshold). A push or a
    # fan-out's short-lived objects die before a first-generation pass at 50,000 allocations
    # instead of surviving into the old generation at 700, whose full passes walk every open
    # connection's objects: S5's last-receipt p99 went from 1.4x the bare emit's to 0.6-0.9x
    # (docs/benchmarks.md).
    GC_THRESHOLDS = _env_gc_thresholds("GC_THRESHOLDS", (50000, 20, 10))
    # Test-only routes (a slow database query); never enable in production.
    REALTIME_DEBUG_ROUTES = _env_bool("REALTIME_DEBUG_ROUTES", False)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # flask-smorest / OpenAPI
    API_TITLE = "Feedserver API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 5 * 1024 * 1024)
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo")

    # Integration API: inbound webhooks (docs/webhooks.md)
    WEBHOOK_MAX_BYTES = _env_int("WEBHOOK_MAX_BYTES", 2 * 1024 * 1024)
    WEBHOOK_MAX_BATCH = _env_int("WEBHOOK_MAX_BATCH", 500)
    # Requests per integration, in Flask-Limiter's notation; storage is memory:// or redis://.
    INTEGRATION_RATE_LIMIT = os.environ.get("INTEGRATION_RATE_LIMIT", "1200/minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Posts per minute through one record's inbound URL (it needs no other credential).
    INBOUND_URL_RATE_LIMIT = os.environ.get("INBOUND_URL_RATE_LIMIT", "60/minute")
    INTEGRATION_SECRET_GRACE_SECONDS = _env_int("INTEGRATION_SECRET_GRACE_SECONDS", 24 * 3600)
    # Outbound webhooks: a worker drains the outbox inside the server process.
    OUTBOUND_WORKER_ENABLED = _env_bool("OUTBOUND_WORKER_ENABLED", True)
    OUTBOUND_POLL_SECONDS = _env_int("OUTBOUND_POLL_SECONDS", 2)
    OUTBOUND_TIMEOUT_SECONDS = _env_int("OUTBOUND_TIMEOUT_SECONDS", 10)
    OUTBOUND_BACKOFF_BASE_SECONDS = _env_int("OUTBOUND_BACKOFF_BASE_SECONDS", 30)
    OUTBOUND_BACKOFF_MAX_SECONDS = _env_int("OUTBOUND_BACKOFF_MAX_SECONDS", 4 * 3600)
    OUTBOUND_RETRY_WINDOW_SECONDS = _env_int("OUTBOUND_RETRY_WINDOW_SECONDS", 24 * 3600)
    OUTBOUND_DISABLE_AFTER_FAILURES = _env_int("OUTBOUND_DISABLE_AFTER_FAILURES", 50)
    # Never deliver to loopback/private/link-local addresses unless allowed here.
    OUTBOUND_ALLOW_PRIVATE = _env_bool("OUTBOUND_ALLOW_PRIVATE", False)
    OUTBOUND_ALLOW_HOSTS = _env_list("OUTBOUND_ALLOW_HOSTS")


class TestConfig(Config):
    """Isolated settings for the test suite: a throwaway database, threading sockets."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    # A file, not :memory:, so background threads (catch-up, fan-out jobs) get connections
    # of their own, as they do in production.
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get(
            "TEST_DATABASE_URL",
            f"sqlite:///{Path(tempfile.gettempdir()) / f'feedserver-test-{os.getpid()}.db'}",
        )
    )
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    SOCKETIO_ASYNC_MODE = "threading"
    SOCKETIO_MESSAGE_QUEUE = None
    # Tests drive large fan-outs through `flask feed fan-out`, deterministically, and queued
    # webhook events through `flask webhooks apply-queued`.
    FANOUT_BACKGROUND = False
    WEBHOOK_QUEUE_BACKGROUND = False
    WTF_CSRF_ENABLED = False
    OUTBOUND_WORKER_ENABLED = False
    OUTBOUND_ALLOW_HOSTS = ["127.0.0.1"]
    RATELIMIT_STORAGE_URI = "memory://"
