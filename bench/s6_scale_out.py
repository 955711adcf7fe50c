"""S6: two server processes sharing Redis and PostgreSQL against one process.

Both set-ups use the Redis message queue (BENCH_REDIS_URL) and PostgreSQL; clients are split
evenly over the processes (as sticky sessions would) and webhook POSTs alternate between them (as
a proxy would). The one process is also the first of the two: the second starts only after the
one-process figures are taken. Each deal is followed by its own group of users, so events on different deals do not
queue on the same inbox counters and the comparison shows the processes, not one row lock.
Redis is watched with MONITOR: PUBLISHes on our db per accepted event.
"""

import os
import subprocess
import time

from bench import worlds
from bench.common import OUT, PG_URL, REDIS_URL, Result, Stats, log, ours, ratio
from bench.fleet import SocketFleet, post

# Sending stops after `events` or `seconds`, whichever comes first.
FULL = {"clients": 1000, "records": 20, "events": 3000, "seconds": 25, "concurrency": 8}
QUICK = {"clients": 100, "records": 10, "events": 40, "seconds": 4, "concurrency": 4}
# After the last POST, feed items are awaited until every follower has them, at most this.
SETTLE_S = 5.0
REDIS_DB = REDIS_URL.rsplit("/", 1)[-1]
# Our own pub/sub channel: channels are global to a Redis server, whatever the db index.
CHANNEL = f"bench-{os.getpid()}"


def bodies(world: dict, n: int, tag: str) -> list[dict]:
    records = world["records"]
    return [
        {
            "type": "record.updated",
            "idempotency_key": f"{tag}-{k}",
            "record": {
                "type": "opportunity",
                "external_id": records[k % len(records)],
                "fields": {"amount": 50_000 + k},
            },
        }
        for k in range(n)
    ]


def count_publishes(path) -> int:
    """PUBLISH commands to our channel on our Redis db, from MONITOR's output."""
    marker, command = f"[{REDIS_DB} ", f'"PUBLISH" "{CHANNEL}"'
    count = 0
    for line in path.read_text(errors="replace").splitlines():
        if marker in line and command in line:
            count += 1
    return count


def run_setup(servers: list, world: dict, size: dict, per_record: int) -> dict:
    processes = len(servers)
    fleets = []
    monitor_path = OUT / f"s6-{processes}p.monitor.txt"
    monitor = None
    try:
        clients = [{"token": world["tokens"][str(u)], "uid": u} for u in world["followers"]]
        for i, server in enumerate(servers):
            fleets.append(
                SocketFleet(f"s6-{processes}p-clients-{i}", server.url, clients[i::processes])
            )
        connected = sum(fleet.wait_ready()[0] for fleet in fleets)
        log(f"S6 {processes} process(es): {connected} clients connected")
        with open(monitor_path, "wb") as out:
            monitor = subprocess.Popen(
                ["redis-cli", "-u", REDIS_URL, "MONITOR"], stdout=out, stderr=subprocess.DEVNULL
            )
            time.sleep(0.3)
            sent = post(
                f"s6-{processes}p-post",
                {
                    "urls": [f"{server.url}/api/v1/webhooks/events" for server in servers],
                    "bodies": bodies(world, size["events"], f"s6-{processes}p-{time.time():.0f}"),
                    "secret": world["secret"],
                    "concurrency": size["concurrency"],
                    "deadline_s": size["seconds"],
                },
            )["sent"]
            ok = [row for row in sent if 200 <= row[3] < 300]
            # Every accepted event owes a feed item to each of its deal's followers.
            deadline = time.monotonic() + SETTLE_S
            while True:
                received = 0
                for fleet in fleets:
                    _, seqs, _ = fleet.report()
                    received += sum(len(v) for v in seqs.values())
                if received >= len(ok) * per_record or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            monitor.terminate()
            monitor.wait(timeout=10)
    finally:
        if monitor is not None and monitor.poll() is None:
            monitor.kill()
        for fleet in fleets:
            fleet.stop()
    span = max(row[2] for row in sent) - min(row[1] for row in sent)
    acks = Stats.of((row[2] - row[1]) * 1000 for row in ok)
    return {
        "rate": len(ok) / span,
        "ok": len(ok),
        "sent": len(sent),
        "acks": acks,
        "publishes": count_publishes(monitor_path),
        "received": received,
    }


def server(index: int, mode: str, wait: bool = True):
    return ours(
        f"s6-{index}",
        mode,
        PG_URL,
        wait=wait,
        SOCKETIO_MESSAGE_QUEUE=REDIS_URL,
        SOCKETIO_CHANNEL=CHANNEL,
    )


def run(quick: bool, mode: str = "eventlet") -> list[Result]:
    size = QUICK if quick else FULL
    per_record = size["clients"] // size["records"]
    world = worlds.world(quick, "main", "s6")
    # The one process of the first set-up is the first of the two in the second: the second
    # process starts after the one-process figures are taken, so they share no core with it.
    first = server(0, mode)
    servers = [first]
    try:
        one = run_setup([first], world, size, per_record)
        servers.append(server(1, mode))
        two = run_setup(servers, world, size, per_record)
    finally:
        for running in servers:
            running.stop()
    notes = [
        f"{size['concurrency']} senders for {size['seconds']}s, {size['records']} deals"
        f" x {per_record} followers, {size['clients']} clients; feed items received:"
        f" 2 processes {two['received']}/{two['ok'] * per_record},"
        f" 1 process {one['received']}/{one['ok'] * per_record}"
    ]
    per_event = two["publishes"] / two["ok"] if two["ok"] else float("nan")
    return [
        Result(
            "S6",
            f"events/s, 2 processes vs 1 ({mode})",
            "events/s",
            Stats(two["ok"], two["rate"], float("nan")),
            Stats(one["ok"], one["rate"], float("nan")),
            "one process",
            ">= 1.6x",
            ratio(two["rate"], one["rate"]) >= 1.6,
            notes,
        ),
        Result(
            "S6",
            f"ack latency, 2 processes vs 1 ({mode})",
            "ms",
            two["acks"],
            one["acks"],
            "one process",
            "",
            None,
            [],
        ),
        Result(
            "S6",
            f"Redis PUBLISH per event ({mode})",
            "publishes",
            Stats(two["ok"], per_event, float("nan")),
            Stats(
                one["ok"], one["publishes"] / one["ok"] if one["ok"] else float("nan"), float("nan")
            ),
            "one process",
            "exactly 1",
            abs(per_event - 1) < 1e-9,
            [
                f"{two['publishes']} PUBLISH for {two['ok']} events (2 processes);"
                f" {one['publishes']} for {one['ok']} (1 process)"
            ],
        ),
    ]
