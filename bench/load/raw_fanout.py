"""The S1 ceiling: the same event written with raw SQL, fanned out by `INSERT ... SELECT`.

Spec file (argv[1]): {"database", "record_ids", "n", "concurrency", "deadline_s", "out"}.
Each event is one transaction that changes the record, writes one feed item and gives every
follower an inbox row at their next seq, the rows the product writes, with no ORM, no HTTP,
no JSON and no signature. Counters are locked in id order first on PostgreSQL (as the product
does), so concurrent events cannot deadlock. Writes {"txns": [[i, start, end, ok], ...]}.
"""

import json
import sqlite3
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

FOLLOWERS = "SELECT follower_id FROM follows WHERE subject_kind = 'record' AND subject_id = {p}"


def statements(p: str) -> dict[str, str]:
    followers = FOLLOWERS.format(p=p)
    return {
        "record": f"UPDATE records SET fields = {p}, version = version + 1, updated_at = {p}"
        f" WHERE id = {p}",
        "item": "INSERT INTO feed_items (actor_id, verb, object_kind, object_id, record_type,"
        " published, changes, source, idempotency_key, created_at{extra_columns})"
        f" VALUES (NULL, 'update', 'record', {p}, 'opportunity', {p}, {p}, 'feedserver', {p},"
        f" {p}{{extra_values}}) RETURNING id",
        "lock": f"SELECT user_id FROM inbox_counters WHERE user_id IN ({followers})"
        " ORDER BY user_id FOR UPDATE",
        "inbox": f"INSERT INTO inbox (user_id, seq, item_id) SELECT c.user_id, c.last_seq + 1, {p}"
        f" FROM inbox_counters c WHERE c.user_id IN ({followers})",
        "bump": f"UPDATE inbox_counters SET last_seq = last_seq + 1 WHERE user_id IN ({followers})",
    }


# Columns some versions of the schema have, with the value the ORM would give them.
OPTIONAL_COLUMNS = {"last_activity_at": "published", "comment_count": "0", "like_count": "0"}


def item_statement(sql: dict[str, str], conn, postgres: bool, p: str) -> None:
    """Fill the optional feed_items columns this database's schema has."""
    cur = conn.cursor()
    if postgres:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'feed_items'"
        )
        present = {row[0] for row in cur.fetchall()}
        conn.rollback()
    else:
        present = {row[1] for row in cur.execute("PRAGMA table_info(feed_items)").fetchall()}
    extra = [name for name in OPTIONAL_COLUMNS if name in present]
    values = [
        "published" if OPTIONAL_COLUMNS[name] == "published" else OPTIONAL_COLUMNS[name]
        for name in extra
    ]
    params = [p if value == "published" else value for value in values]
    sql["item"] = sql["item"].format(
        extra_columns="".join(f", {name}" for name in extra),
        extra_values="".join(f", {value}" for value in params),
    )
    sql["item_extra"] = sum(1 for value in values if value == "published")


def connect(url: str):
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :], timeout=30, isolation_level=None)
        return conn, "?", False
    import psycopg2

    return psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://")), "%s", True


def one_event(conn, sql, postgres: bool, record_id: int, k: int, tag: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    fields = json.dumps({"stage": "Prospecting", "amount": k})
    changes = json.dumps([{"field": "amount", "old": k - 1, "new": k}])
    cur = conn.cursor()
    if not postgres:
        cur.execute("BEGIN IMMEDIATE")
    cur.execute(sql["record"], (fields, now, record_id))
    extra = (now,) * sql["item_extra"]
    cur.execute(sql["item"], (record_id, now, changes, f"raw-{tag}-{k}", now, *extra))
    item_id = cur.fetchone()[0]
    if postgres:
        cur.execute(sql["lock"], (record_id,))
    cur.execute(sql["inbox"], (item_id, record_id))
    cur.execute(sql["bump"], (record_id,))
    conn.commit() if postgres else cur.execute("COMMIT")


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    record_ids, n = spec["record_ids"], spec["n"]
    deadline = time.monotonic() + spec.get("deadline_s", 300)
    tag = f"{time.time():.0f}"
    lock = threading.Lock()
    indexes = iter(range(n))
    results: list[list] = []

    def worker():
        conn, p, postgres = connect(spec["database"])
        sql = statements(p)
        item_statement(sql, conn, postgres, p)
        while time.monotonic() < deadline:
            with lock:
                i = next(indexes, None)
            if i is None:
                break
            started = time.monotonic()
            try:
                one_event(conn, sql, postgres, record_ids[i % len(record_ids)], 1_000_000 + i, tag)
                ok = True
            except Exception as exc:  # a failed transaction counts as failed, and is shown
                print(f"event {i} failed: {exc}", file=sys.stderr)
                conn.rollback() if postgres else conn.execute("ROLLBACK")
                ok = False
            with lock:
                results.append([i, started, time.monotonic(), ok])
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(spec.get("concurrency", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(spec["out"], "w") as out:
        json.dump({"txns": sorted(results)}, out)


if __name__ == "__main__":
    main(sys.argv[1])
