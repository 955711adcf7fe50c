"""S1: signed webhook events, each changing a record with 1,000 followers (PostgreSQL, SQLite).

Ours: POST /api/v1/webhooks/events, Standard Webhooks signed, through the whole pipeline
(verify, store raw, dedupe, apply the change, fan out, commit, push). Ceiling: the same rows
written by raw SQL (`INSERT ... SELECT` fan-out), in the same database, in the same run.
Throughput is measured with `concurrency` senders; ack latency with one sender at a time.
"""

import json
import time

import sqlalchemy as sa

from bench import worlds
from bench.common import (
    BENCH,
    OUT,
    PY,
    Process,
    Result,
    Stats,
    log,
    ours,
    ratio,
)
from bench.fleet import post
from bench.profiles import Profile
from config import database_url

# Throughput runs until `events` are sent or `seconds` pass, whichever is first.
FULL = {
    "followers": 1000,
    "records": 20,
    "events": 5000,
    "seconds": 20,
    "latency_events": 100,
    "concurrency": 4,
}
QUICK = {
    "followers": 1000,
    "records": 4,
    "events": 16,
    "seconds": 3,
    "latency_events": 6,
    "concurrency": 4,
}


def bodies(world: dict, n: int, start: int) -> list[dict]:
    records = world["records"]
    return [
        {
            "type": "record.updated",
            "idempotency_key": f"s1-{start + k}",
            "record": {
                "type": "opportunity",
                "external_id": records[k % len(records)],
                "fields": {"amount": start + k},
            },
        }
        for k in range(n)
    ]


def raw(
    name: str, database: str, record_ids: list[int], n: int, concurrency: int, seconds: float
) -> dict:
    out_path = OUT / f"{name}.result.json"
    spec_path = OUT / f"{name}.spec.json"
    spec = {"database": database, "record_ids": record_ids, "n": n, "concurrency": concurrency}
    spec_path.write_text(json.dumps({**spec, "deadline_s": seconds, "out": str(out_path)}))
    proc = Process(name, [PY, str(BENCH / "load" / "raw_fanout.py"), str(spec_path)])
    proc.popen.wait(timeout=300)
    proc.stop()
    return json.loads(out_path.read_text())


def rate(rows: list[list], ok) -> tuple[float, int]:
    good = [row for row in rows if ok(row)]
    if not good:
        return 0.0, 0
    span = max(row[2] for row in rows) - min(row[1] for row in rows)
    return len(good) / span if span > 0 else float("nan"), len(rows) - len(good)


def run_database(label: str, world: dict, size: dict, mode: str, server) -> list[Result]:
    database = world["database"]
    server.wait_ready()
    try:
        url = f"{server.url}/api/v1/webhooks/events"
        # Warm-up: a few events so connection pools and caches are as they will be.
        post(
            f"s1-{label}-warm",
            {
                "urls": [url],
                "bodies": bodies(world, 10, 0),
                "secret": world["secret"],
                "concurrency": 1,
            },
        )
        log(f"S1 {label}: {size['events']} events, {size['concurrency']} senders")
        with Profile(
            server.pid,
            size["seconds"],
            f"s1-{label}",
            f"S1 {label}: the server while it takes webhook events",
        ):
            thr = post(
                f"s1-{label}-throughput",
                {
                    "urls": [url],
                    "bodies": bodies(world, size["events"], 1000),
                    "secret": world["secret"],
                    "concurrency": size["concurrency"],
                    "deadline_s": size["seconds"],
                },
            )

        def one_sender(name: str, start: int, headers: dict) -> dict:
            """`latency_events` events sent one at a time, each after the previous answer."""
            return post(
                f"s1-{label}-{name}",
                {
                    "urls": [url],
                    "bodies": bodies(world, size["latency_events"], start),
                    "secret": world["secret"],
                    "concurrency": 1,
                    "deadline_s": 20,
                    "headers": headers,
                },
            )

        lat = one_sender("ack", 100_000, {})
        # The same, answered once stored (Prefer: respond-async) and applied after the answer;
        # the scenario then waits (bounded) until the server has applied every one of them.
        lat_async = one_sender("ack-async", 200_000, {"Prefer": "respond-async"})
        applied_s, left = wait_applied(database, APPLY_WAIT_S)
    finally:
        server.stop()
    log(f"S1 {label}: ceiling (raw SQL)")
    raw_thr = raw(
        f"s1-{label}-raw",
        database,
        world["record_ids"],
        size["events"],
        size["concurrency"],
        size["seconds"],
    )
    raw_lat = raw(
        f"s1-{label}-raw-ack", database, world["record_ids"], size["latency_events"], 1, 20
    )
    ours_rate, ours_failed = rate(thr["sent"], lambda row: 200 <= row[3] < 300)
    raw_rate, raw_failed = rate(raw_thr["txns"], lambda row: row[3])
    ack = Stats.of([(row[2] - row[1]) * 1000 for row in lat["sent"] if 200 <= row[3] < 300])
    acked = [row for row in lat_async["sent"] if 200 <= row[3] < 300]
    ack_async = Stats.of([(row[2] - row[1]) * 1000 for row in acked])
    raw_ack = Stats.of([(row[2] - row[1]) * 1000 for row in raw_lat["txns"] if row[3]])
    throughput_target = ">= 200/s and >= 0.7x ceiling" if label == "postgresql" else ">= 0.7x"
    rate_ratio = ratio(ours_rate, raw_rate)
    met = rate_ratio >= 0.7 and (label != "postgresql" or ours_rate >= 200)
    notes = [
        f"{size['concurrency']} concurrent senders for {size['seconds']}s (at most"
        f" {size['events']} events): ours {len(thr['sent'])}, ceiling {len(raw_thr['txns'])};"
        f" {size['followers']} followers each, {size['records']} records round-robin"
    ]
    if ours_failed or raw_failed:
        notes.append(f"failed requests: ours {ours_failed}, ceiling {raw_failed}")
    return [
        Result(
            "S1",
            f"{label}: events/s ({mode})",
            "events/s",
            Stats(len(thr["sent"]), ours_rate, float("nan")),
            Stats(len(raw_thr["txns"]), raw_rate, float("nan")),
            "raw SQL INSERT...SELECT",
            throughput_target,
            met,
            notes,
        ),
        Result(
            "S1",
            f"{label}: ack latency, one sender ({mode})",
            "ms",
            ack,
            raw_ack,
            "raw SQL transaction",
            "p99 <= 25 ms",
            ack.p99 <= 25,
            [f"{size['latency_events']} sequential events; the answer reports each outcome"],
        ),
        Result(
            "S1",
            f"{label}: ack latency, one sender, Prefer: respond-async ({mode})",
            "ms",
            ack_async,
            raw_ack,
            "raw SQL transaction",
            "p99 <= 25 ms",
            ack_async.p99 <= 25 and len(acked) == size["latency_events"] and left == 0,
            [
                f"{size['latency_events']} sequential events, {len(acked)} answered 202;"
                " answered once stored, applied after the answer: "
                + (
                    f"all applied {applied_s:.1f}s after the last answer"
                    if left == 0
                    else f"{left} still queued {APPLY_WAIT_S}s after the last answer"
                )
            ],
        ),
    ]


# How long the scenario waits for the server to apply what it answered early.
APPLY_WAIT_S = 120


def wait_applied(database: str, seconds: float) -> tuple[float, int]:
    """Seconds until no inbound event is queued any more, and how many still were at the end."""
    engine = sa.create_engine(database_url(database))
    started = time.monotonic()
    left = -1
    try:
        while True:
            with engine.connect() as conn:
                left = conn.scalar(
                    sa.text("SELECT count(*) FROM inbound_events WHERE status = 'queued'")
                )
            if left == 0 or time.monotonic() - started > seconds:
                return time.monotonic() - started, left
            time.sleep(0.2)
    finally:
        engine.dispose()


def run(quick: bool, mode: str = "eventlet") -> list[Result]:
    size = QUICK if quick else FULL
    started = time.monotonic()
    found = {label: worlds.world(quick, f"s1-{label}", "s1") for label in ("postgresql", "sqlite")}
    # Both servers start side by side (setup only); the second waits idle while the first is
    # measured, and each stops before its raw SQL ceiling runs.
    servers = {
        label: ours(f"s1-{label}-server", mode, world["database"], wait=False)
        for label, world in found.items()
    }
    results = []
    try:
        for label, world in found.items():
            results += run_database(label, world, size, mode, servers[label])
    finally:
        for server in servers.values():
            server.stop()
    log(f"S1 done in {time.monotonic() - started:.0f}s")
    return results
