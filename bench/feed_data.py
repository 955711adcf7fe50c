"""S4 data: users, deals they follow, feed items and the inboxes fan-out would have written.

Generated with set-based SQL in PostgreSQL (minutes, not hours), never through the services,
into its own database, and kept: a marker row records the sizes, so a later run with the same
sizes reuses it. Each user follows `follows` deals; every item is a change of one deal by one
user; a user's inbox holds every item about a deal they follow, numbered by item order, exactly
what fan-out on write produces. The peer's rows (django-activity-stream's Follow and Action)
are written from the same rows by bench/peer/load.py.
"""

import hashlib
import time

import psycopg2

from bench.common import PG_ADMIN_URL, build_world, log

FULL = {"users": 10_000, "records": 20_000, "items": 1_000_000, "follows": 10}
QUICK = {"users": 300, "records": 600, "items": 10_000, "follows": 10}
# Items a reader scrolls past before the deep page (page 21 of 20; page 6 in the quick run).
DEEP = {"full": 400, "quick": 100}

# Seconds each database's data took to generate in this run (None: reused from an earlier run).
GENERATED: dict[str, float | None] = {}

# NOT NULL columns a newer schema may add: filled with what the ORM default would give.
ZERO_BY_TYPE = {
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "text": "''",
    "character varying": "''",
    "json": "'[]'",
    "jsonb": "'[]'",
    "timestamp without time zone": "i.published",
    "timestamp with time zone": "i.published",
}


def schema_fingerprint() -> str:
    """A digest of the models' source: data made for another schema is made again."""
    from bench.common import APP

    digest = hashlib.sha256()
    for path in sorted((APP / "feedserver" / "models").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def database_for(url_base: str, quick: bool) -> str:
    return url_base + ("_quick" if quick else "")


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def marker(url: str) -> str | None:
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_marker')")
        if cur.fetchone()[0] is None:
            conn.close()
            return None
        cur.execute("SELECT params FROM bench_marker")
        row = cur.fetchone()
    conn.close()
    return row[0] if row else None


def item_fill_columns(cur) -> tuple[str, str]:
    """Extra feed_items columns and their values, for NOT NULL columns the SQL doesn't name."""
    named = {
        "actor_id",
        "verb",
        "object_kind",
        "object_id",
        "record_type",
        "published",
        "changes",
        "source",
        "created_at",
        "id",
    }
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name ="
        " 'feed_items' AND is_nullable = 'NO' AND column_default IS NULL"
    )
    extra = [(name, ZERO_BY_TYPE[kind]) for name, kind in cur.fetchall() if name not in named]
    return "".join(f", {n}" for n, _ in extra), "".join(f", {v}" for _, v in extra)


def generate(url: str, size: dict) -> dict:
    """Make (or reuse) the S4 database; returns the world (users and their tokens)."""
    params = repr(sorted(size.items())) + " schema " + schema_fingerprint()
    world_path_name = f"s4-{'quick' if size['items'] < FULL['items'] else 'full'}"
    ensure_database(url)
    import json

    from bench.common import OUT

    saved = OUT / f"{world_path_name}.world-out.json"
    if marker(url) == params and saved.exists():
        log(f"S4: reusing the generated data in {url}")
        GENERATED.setdefault(url, None)
        return json.loads(saved.read_text())
    log(f"S4: generating {size} in {url}")
    started = time.monotonic()
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        # A clean slate: the peer's tables too (world.py only knows Feedserver's).
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.commit()
    conn.close()
    world = build_world(
        world_path_name, {"database": url, "users": size["users"], "records": 0, "followers": 0}
    )
    conn = psycopg2.connect(url)
    cur = conn.cursor()
    cur.execute("SET work_mem = '512MB'")
    cur.execute("SET maintenance_work_mem = '512MB'")
    # Bulk load: skip per-row foreign-key triggers (the rows are consistent by construction).
    cur.execute("SET session_replication_role = replica")
    # Bulk load: the big tables' plain indexes are built once after the rows are in, not row
    # by row (constraint indexes stay; they are what ON CONFLICT and the keys rely on).
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN"
        " ('feed_items', 'inbox') AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    deferred = cur.fetchall()
    for name, _ in deferred:
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("SELECT min(id) FROM users WHERE email LIKE '%%@bench.example'")
    first_user = cur.fetchone()[0]
    slots = size["records"] // size["follows"]
    cur.execute(
        "INSERT INTO records (type_key, source, external_id, name, fields, version, created_at,"
        " updated_at) SELECT 'opportunity', 'feedserver', 'feed-deal-' || g, 'Deal ' || g,"
        " '{\"stage\": \"Prospecting\"}', 1, now() at time zone 'utc', now() at time zone 'utc'"
        " FROM generate_series(1, %s) g",
        (size["records"],),
    )
    cur.execute("SELECT min(id) FROM records WHERE external_id LIKE 'feed-deal-%%'")
    first_record = cur.fetchone()[0]
    log("S4: follows")
    # User u follows one deal in each of `follows` slices: distinct deals, ~even followers.
    cur.execute(
        "INSERT INTO follows (follower_id, subject_kind, subject_id, created_at)"
        " SELECT u.id, 'record', %s + k * %s + ((u.id - %s) * 37) %% %s,"
        " now() at time zone 'utc' FROM users u, generate_series(0, %s - 1) k"
        " WHERE u.email LIKE '%%@bench.example'",
        (first_record, slots, first_user, slots, size["follows"]),
    )
    log("S4: feed items")
    columns, values = item_fill_columns(cur)
    cur.execute(
        "INSERT INTO feed_items (actor_id, verb, object_kind, object_id, record_type, published,"
        f" changes, source, created_at{columns})"
        " SELECT i.actor_id, 'update', 'record', i.object_id, 'opportunity', i.published,"
        f" i.changes, 'feedserver', i.published{values} FROM ("
        "   SELECT %s + (g::bigint * 7919) %% %s AS actor_id, %s + (g::bigint * 104729) %% %s AS object_id,"
        "   (now() at time zone 'utc') - make_interval(secs => %s - g) AS published,"
        '   \'[{"field": "stage", "old": "Prospecting", "new": "Negotiation"}]\''
        "   ::jsonb AS changes FROM generate_series(1, %s) g) i",
        (first_user, size["users"], first_record, size["records"], size["items"], size["items"]),
    )
    log("S4: inboxes")
    cur.execute(
        "INSERT INTO inbox (user_id, seq, item_id)"
        " SELECT f.follower_id, row_number() OVER (PARTITION BY f.follower_id ORDER BY i.id), i.id"
        " FROM feed_items i JOIN follows f"
        " ON f.subject_kind = 'record' AND f.subject_id = i.object_id"
    )
    log(f"S4: {len(deferred)} indexes")
    for _, definition in deferred:
        cur.execute(definition)
    cur.execute(
        "UPDATE inbox_counters c SET last_seq = m.last FROM"
        " (SELECT user_id, max(seq) AS last FROM inbox GROUP BY user_id) m"
        " WHERE m.user_id = c.user_id"
    )
    cur.execute("CREATE TABLE IF NOT EXISTS bench_marker (params text)")
    cur.execute("DELETE FROM bench_marker")
    conn.commit()
    log("S4: the peer's tables")
    from bench.peer.load import load_peer

    load_peer(url)
    cur.execute("INSERT INTO bench_marker VALUES (%s)", (params,))
    conn.commit()
    conn.autocommit = True
    cur.execute("VACUUM ANALYZE")
    conn.close()
    GENERATED[url] = time.monotonic() - started
    log(f"S4: data ready in {GENERATED[url]:.0f}s")
    return world
