"""Fixtures: one app and schema per run, a clean database per test, API clients."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from feedserver import create_app
from feedserver.extensions import db
from feedserver.records.types import ensure_record_types
from tests.factories import Factory

IN_CI = bool(os.environ.get("CI"))
ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite twice; tests pinned to one pass are left out of the other.

    `postgres_pass`: needs PostgreSQL (scale-out, slow queries). `sqlite_pass`: process and
    browser tests that do not depend on the database, run once. Leaving them out (instead of
    skipping) keeps every test that runs a real pass or a real failure.
    """
    unwanted = "sqlite_pass" if ON_POSTGRES else "postgres_pass"
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker(unwanted) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def require_service(available: bool, what: str) -> None:
    """Skip locally when a service is missing; in CI that is a failure, never a skip."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available on this machine")


@pytest.fixture(scope="session")
def app():
    app = create_app(TestConfig)
    with app.app_context():
        # What an interrupted run left, as the database has it (an older schema's too).
        left = sa.MetaData()
        left.reflect(bind=db.engine)
        left.drop_all(bind=db.engine)
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    database = db_file(app)
    if database:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


def db_file(app):
    """The SQLite file behind the test app, if it uses one."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return url.database if url.get_backend_name() == "sqlite" and url.database else None


@pytest.fixture(autouse=True)
def clean_database(app):
    with app.app_context():
        ensure_record_types()
        db.session.commit()
    yield
    with app.app_context():
        db.session.rollback()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.session.remove()


@pytest.fixture
def make(app):
    return Factory(app)


@pytest.fixture
def client(app):
    return app.test_client()


class ApiClient:
    """The Flask test client, speaking JSON to /api/v1 with a bearer token."""

    def __init__(self, client, token=None):
        self.client, self.token = client, token

    def _headers(self, headers):
        base = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**base, **(headers or {})}

    def get(self, path, **kw):
        return self.client.get(
            "/api/v1" + path, headers=self._headers(kw.pop("headers", None)), **kw
        )

    def post(self, path, json=None, **kw):
        return self.client.post(
            "/api/v1" + path, json=json, headers=self._headers(kw.pop("headers", None)), **kw
        )

    def patch(self, path, json=None, **kw):
        return self.client.patch(
            "/api/v1" + path, json=json, headers=self._headers(kw.pop("headers", None)), **kw
        )

    def delete(self, path, **kw):
        return self.client.delete(
            "/api/v1" + path, headers=self._headers(kw.pop("headers", None)), **kw
        )


@pytest.fixture
def api_as(app):
    """api_as(user) → an ApiClient authenticated with that user's token."""
    return lambda user=None: ApiClient(app.test_client(), user.token if user else None)


def table_count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def failing_once(real, error: Exception):
    """`real`, except that its first call raises `error`: a passing fault, for monkeypatching."""
    calls = []

    def once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    return once
