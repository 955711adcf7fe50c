"""Test-only routes (REALTIME_DEBUG_ROUTES): a slow query, to prove the server stays responsive."""

import sqlalchemy as sa
from flask import Blueprint, abort, request

from feedserver.extensions import db

debug_bp = Blueprint("realtime_debug", __name__, url_prefix="/_debug")


@debug_bp.get("/db-sleep")
def db_sleep():
    """Hold one database connection in `SELECT pg_sleep(seconds)` (PostgreSQL only)."""
    seconds = request.args.get("seconds", default=2.0, type=float)
    if db.engine.dialect.name != "postgresql" or not 0 < seconds <= 10:
        abort(400)
    db.session.execute(sa.select(sa.func.pg_sleep(seconds)))
    db.session.rollback()
    return {"slept": seconds}
