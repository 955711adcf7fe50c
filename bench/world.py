"""Build a benchmark world in a fresh database: users with tokens, deals and their followers.

Run as `python -m bench.world spec.json out.json` (its own process, so create_app() binds the
extensions once). Rows go in with bulk Core inserts, not through the services: the services
are what the scenarios measure. Spec: {"database", "users", "groups": {name: {"records",
"followers", "disjoint"?}}}: each group's `records` opportunities are followed by the first
`followers` users (or, when disjoint, deal r by its own `followers` users), so scenarios that
share a world each have their own deals. {"records", "followers", "disjoint"?} at the top level
is one group. The integration that signs the webhooks is created through the product's own
service.
"""

import hashlib
import json
import secrets
import sys

import sqlalchemy as sa

CHUNK = 5000


def build(spec: dict) -> dict:
    from bench.common import SECRET_KEY as BENCH_SECRET_KEY
    from config import Config
    from feedserver import create_app
    from feedserver.extensions import db
    from feedserver.integrations.service import create_integration
    from feedserver.models import ApiToken, Follow, InboxCounter, Record, User
    from feedserver.records.types import ensure_record_types

    class WorldConfig(Config):
        SQLALCHEMY_DATABASE_URI = _driver(spec["database"])
        SECRET_KEY = BENCH_SECRET_KEY
        SOCKETIO_ASYNC_MODE = "threading"
        OUTBOUND_WORKER_ENABLED = False

    app = create_app(WorldConfig)
    with app.app_context():
        # Every table there is, as the database has it (an older schema's constraints too).
        existing = sa.MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        db.create_all()
        ensure_record_types()
        created = create_integration("bench")
        db.session.commit()
        n = spec["users"]
        emails = [f"user{i}@bench.example" for i in range(n)]
        _insert(
            db,
            User.__table__,
            [{"email": e, "name": f"Bench User {i}"} for i, e in enumerate(emails)],
        )
        ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
        uids = [ids[e] for e in emails]
        _insert(db, InboxCounter.__table__, [{"user_id": uid, "last_seq": 0} for uid in uids])
        tokens = {uid: "fs_bench" + secrets.token_urlsafe(24) for uid in uids}
        _insert(
            db,
            ApiToken.__table__,
            [
                {
                    "user_id": uid,
                    "name": "bench",
                    "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                    "prefix": token[:10],
                }
                for uid, token in tokens.items()
            ],
        )
        groups = spec.get("groups") or {
            "main": {k: spec[k] for k in ("records", "followers", "disjoint") if k in spec}
        }
        externals = {
            name: [f"bench-{name}-deal-{r}" for r in range(group["records"])]
            for name, group in groups.items()
        }
        _insert(
            db,
            Record.__table__,
            [
                {
                    "type_key": "opportunity",
                    "source": created.integration.source,
                    "external_id": ext,
                    "name": f"Bench deal {ext}",
                    "fields": {"stage": "Prospecting", "amount": 0},
                }
                for exts in externals.values()
                for ext in exts
            ],
        )
        record_ids = dict(db.session.execute(sa.select(Record.external_id, Record.id)).all())
        follows, made = [], {}
        for name, group in groups.items():
            per = group["followers"]
            for r, ext in enumerate(externals[name]):
                # Disjoint: deal r has its own followers, so deals share no inbox counter.
                who = uids[r * per : (r + 1) * per] if group.get("disjoint") else uids[:per]
                follows += [
                    {"follower_id": uid, "subject_kind": "record", "subject_id": record_ids[ext]}
                    for uid in who
                ]
            made[name] = {
                "records": externals[name],
                "record_ids": [record_ids[ext] for ext in externals[name]],
                "followers": uids[: per * (group["records"] if group.get("disjoint") else 1)],
            }
        _insert(db, Follow.__table__, follows)
        db.session.commit()
        result = {
            "database": spec["database"],
            "uids": uids,
            "tokens": {str(uid): token for uid, token in tokens.items()},
            "secret": created.signing_secret,
            "integration_id": created.integration.id,
            "groups": made,
            # The first group's deals at the top level, for a world of one group.
            **next(iter(made.values()), {}),
        }
        db.session.remove()
        db.engine.dispose()
    return result


def _driver(url: str) -> str:
    from config import database_url

    return database_url(url)


def _insert(db, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start : start + CHUNK])


if __name__ == "__main__":
    with open(sys.argv[1]) as spec_file:
        world = build(json.load(spec_file))
    with open(sys.argv[2], "w") as out:
        json.dump(world, out)
