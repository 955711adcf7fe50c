"""The migrations build the whole schema from nothing, and nothing is left pending."""

import logging
import os
import uuid

import sqlalchemy as sa

from config import TestConfig, database_url
from feedserver import create_app
from feedserver.extensions import db


def _fresh_database_url(tmp_path):
    """An empty database of the kind the suite runs on; dropped afterwards for PostgreSQL."""
    url = database_url(os.environ.get("TEST_DATABASE_URL", ""))
    if not url or not url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'migrated.db'}", None
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    fresh = sa.make_url(url).set(database=name)
    return fresh.render_as_string(hide_password=False), (admin, name)


def _inbox_keys() -> tuple[list, list]:
    """The inbox's unique constraints and its other indexes, as lists of their columns."""
    inspector = sa.inspect(db.engine)
    unique = [c["column_names"] for c in inspector.get_unique_constraints("inbox")]
    others = [i["column_names"] for i in inspector.get_indexes("inbox") if not i["unique"]]
    return unique, others


def test_upgrade_from_empty_then_check_finds_nothing_pending(tmp_path):
    url, cleanup = _fresh_database_url(tmp_path)

    class MigratedConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(MigratedConfig)
    runner = app.test_cli_runner()
    try:
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        # Alembic's logging setup leaves the app's loggers (made by create_app) working.
        assert not logging.getLogger("feedserver.webhooks.pipeline").disabled
        check = runner.invoke(args=["db", "check"])
        assert check.exit_code == 0, check.output
        with app.app_context():
            keys = db.session.scalars(sa.text("SELECT key FROM record_types ORDER BY key")).all()
            assert keys == ["account", "case", "contact", "opportunity", "visit"]
            # A fan-out's inbox rows are not checked row by row (models.inbox says why).
            assert sa.inspect(db.engine).get_foreign_keys("inbox") == []
            # One unique index led by item_id serves lookups by item too (models.inbox).
            assert _inbox_keys() == ([["item_id", "user_id"]], [])
            db.engine.dispose()
        # The last migration goes back and forth (SQLite copies the table to do it).
        back = runner.invoke(args=["db", "downgrade"])
        assert back.exit_code == 0, back.output
        with app.app_context():
            assert _inbox_keys() == ([["user_id", "item_id"]], [["item_id"]])
            db.engine.dispose()
        again = runner.invoke(args=["db", "upgrade"])
        assert again.exit_code == 0, again.output
    finally:
        with app.app_context():
            db.engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
