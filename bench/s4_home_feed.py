"""S4: the home feed over HTTP, first page and a deep page, against django-activity-stream.

Ours: GET /api/v1/feed/home (Bearer token), one index range scan of the reader's inbox. Peer:
the same feed computed at read time from the reader's follows by django-activity-stream's
`user_stream` (its Follow and Action models) on the same people, follows and items, served by
Django. Both get the same users, one warm-up pass, then one request at a time.
"""

import json
import random
import subprocess
import time

import psycopg2
import requests

from bench.common import (
    BENCH,
    OUT,
    PG_FEED_URL,
    PY,
    Process,
    Result,
    Stats,
    free_port,
    log,
    ours,
    ratio,
)
from bench.feed_data import DEEP, FULL, GENERATED, QUICK, database_for, generate
from bench.profiles import Profile

SAMPLE_FULL, SAMPLE_QUICK = 300, 30
# Deep pages: fewer readers (each needs a walk to get its cursor), each read REPEAT times.
DEEP_READERS_FULL, DEEP_READERS_QUICK, REPEAT = 75, 8, 3


def deep_readers(url: str, uids: list[int], n: int, deep: int) -> list[int]:
    """Users whose inbox reaches past the deep page, chosen at random (fixed seed)."""
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT user_id FROM inbox_counters WHERE last_seq >= %s", (deep + 40,))
        far_enough = {row[0] for row in cur.fetchall()}
    conn.close()
    pool = sorted(set(uids) & far_enough)
    return random.Random(8).sample(pool, min(n, len(pool)))


def deep_cursor(base: str, token: str, deep: int) -> str:
    """The cursor a reader holds after scrolling `deep` items (pages of 100)."""
    cursor = None
    for _ in range(deep // 100):
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        answer = requests.get(
            f"{base}/api/v1/feed/home",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        answer.raise_for_status()
        cursor = answer.json()["next_cursor"]
    return cursor


def timed(name: str, todo: list[list]) -> list[float]:
    """GET each distinct request once unmeasured (warm-up), then all measured; latencies in ms."""
    out = OUT / f"{name}.result.json"
    spec = OUT / f"{name}.spec.json"
    warm = [list(pair) for pair in dict.fromkeys(tuple(pair) for pair in todo)]
    spec.write_text(
        json.dumps(
            {
                "requests": todo,
                "warm": warm,
                "concurrency": 1,
                "deadline_s": 200,
                "out": str(out),
            }
        )
    )
    proc = Process(name, [PY, str(BENCH / "load" / "get.py"), str(spec)], stdout=subprocess.DEVNULL)
    proc.popen.wait(timeout=450)
    proc.stop()
    rows = json.loads(out.read_text())["times"]
    if len(rows) < len(todo):
        log(f"{name}: the deadline cut the measured pass at {len(rows)} of {len(todo)} requests")
    bad = [row for row in rows if row[2] != 200]
    if bad:
        log(f"{name}: {len(bad)} requests failed (status {bad[0][2]})")
    return [row[1] * 1000 for row in rows if row[2] == 200]


def start_peer(url: str) -> tuple[Process, str]:
    """Start the peer's server; peer_ready() waits for it."""
    port = free_port()
    proc = Process(
        "s4-peer",
        [PY, "-m", "bench.peer.serve"],
        {
            "PORT": str(port),
            "PEER_DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
        },
        stdout=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def peer_ready(proc: Process, base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"peer exited:\n{proc.tail()}")
        try:
            requests.get(base + "/", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    proc.stop()
    raise RuntimeError(f"peer did not start:\n{proc.tail()}")


def prepare(quick: bool) -> dict:
    """Generate (or reuse) the data: the runner does it before the scenario's clock starts."""
    return generate(database_for(PG_FEED_URL, quick), QUICK if quick else FULL)


def run(quick: bool, mode: str = "eventlet") -> list[Result]:
    size = QUICK if quick else FULL
    url = database_for(PG_FEED_URL, quick)
    world = prepare(quick)
    deep = DEEP["quick" if quick else "full"]
    readers = deep_readers(url, world["uids"], SAMPLE_QUICK if quick else SAMPLE_FULL, deep)
    # Both start side by side (setup only); the idle peer waits while ours is measured.
    server = ours(f"s4-{mode}-ours", mode, url, wait=False)
    peer, peer_base = start_peer(url)
    try:
        server.wait_ready()
        peer_ready(peer, peer_base)
        base = server.url
        log(f"S4: {len(readers)} readers, deep cursors")
        tokens = {uid: world["tokens"][str(uid)] for uid in readers}
        divers = readers[: DEEP_READERS_QUICK if quick else DEEP_READERS_FULL]
        cursors = {uid: deep_cursor(base, tokens[uid], deep) for uid in divers}
        with Profile(server.pid, 300, "s4", "S4: the server while it serves first pages"):
            first = timed(
                "s4-ours-first", [[f"{base}/api/v1/feed/home", tokens[u]] for u in readers]
            )
        deep_times = timed(
            "s4-ours-deep",
            [[f"{base}/api/v1/feed/home?cursor={cursors[u]}", tokens[u]] for u in divers] * REPEAT,
        )
        sample = requests.get(
            f"{base}/api/v1/feed/home",
            headers={"Authorization": f"Bearer {tokens[readers[0]]}"},
            timeout=30,
        ).json()["items"]
        server.stop()
        peer_first = timed("s4-peer-first", [[f"{peer_base}/feed/{u}", None] for u in readers])
        peer_deep = timed(
            "s4-peer-deep", [[f"{peer_base}/feed/{u}?offset={deep}", None] for u in divers] * REPEAT
        )
        peer_sample = requests.get(f"{peer_base}/feed/{readers[0]}", timeout=60).json()["items"]
    finally:
        server.stop()
        peer.stop()
    # The peer's actions were copied in item order into a fresh table: same ids, same order.
    same = [i["id"] for i in sample] == [i["id"] for i in peer_sample]
    if not same:
        log(
            f"S4: first pages differ: ours {[i['id'] for i in sample][:5]},"
            f" peer {[i['id'] for i in peer_sample][:5]}"
        )
    notes = [
        f"{size['users']:,} users, {size['items']:,} items, {size['follows']} deals followed"
        f" each; {len(readers)} readers of a first page, {len(divers)} x {REPEAT} deep; the two feeds' first pages"
        f" {'match' if same else 'DIFFER'} (item ids, in order); the data "
        + (
            f"was generated before the scenario, in {GENERATED[url]:.0f}s"
            if GENERATED.get(url)
            else "was reused from an earlier run (same sizes and schema)"
        )
    ]
    results = []
    for label, mine, theirs in (
        ("first page", first, peer_first),
        (f"deep page (after {deep} items)", deep_times, peer_deep),
    ):
        m, t = Stats.of(mine), Stats.of(theirs)
        speedup = min(ratio(t.median, m.median), ratio(t.p99, m.p99))
        results.append(
            Result(
                "S4",
                f"home feed, {label} ({mode})",
                "ms",
                m,
                t,
                "django-activity-stream user_stream",
                "p99 <= 15 ms; >= 20x faster",
                m.p99 <= 15 and speedup >= 20,
                list(notes),
            )
        )
    return results
