"""S2 and S5: from a webhook POST to receipt by every connected follower, against a bare emit.

Ours: a signed webhook event changes a deal every connected client's user follows; each client
records when its `feed_item` arrived. Ceiling: bench/bare_server.py, the same clients (same
process layout), POST /emit of a payload of the same size to the same users' rooms. Events are
sent one at a time, paced, so each latency is one push, not a queue. Latency is receipt time
minus the moment the POST left the sender (one system-wide monotonic clock).
"""

import contextlib
import time

import requests

from bench import worlds
from bench.common import Result, Stats, bare, each_mode, log, ours, ratio
from bench.fleet import SocketFleet, post
from bench.profiles import Profile

S2_FULL = {"clients": 1000, "events": 30, "interval_s": 0.5}
S2_QUICK = {"clients": 200, "events": 5, "interval_s": 0.3}
S5_FULL = {"clients": 5000, "events": 10, "interval_s": 2.0}
S5_QUICK = {"clients": 300, "events": 3, "interval_s": 0.8}
# After the last POST, receipts are awaited until every client has every event, at most this.
SETTLE_S = {"quick": 3.0, "full": 15.0}


def event_body(world: dict, k: int, tag: str) -> dict:
    return {
        "type": "record.updated",
        "idempotency_key": f"{tag}-{k}",
        "record": {
            "type": "opportunity",
            "external_id": world["records"][0],
            "fields": {"amount": k},
        },
    }


def sample_item(server_url: str, token: str) -> dict:
    """A real feed item as our server pushes it, so the ceiling carries the same bytes."""
    answer = requests.get(
        f"{server_url}/api/v1/feed/home",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    answer.raise_for_status()
    item = answer.json()["items"][0]
    return {k: v for k, v in item.items() if k not in ("seq", "read_at")}


def measure(
    name: str,
    server_url: str,
    post_url: str,
    clients: list[dict],
    bodies: list[dict],
    size: dict,
    secret: str | None,
    watch=contextlib.nullcontext,
) -> tuple[list[float], list[float], int, float]:
    """Connect the clients, send the events paced; (all latencies, last-receipt latencies, ...)."""
    fleet = SocketFleet(name, server_url, clients)
    try:
        connected, failed, connect_s = fleet.wait_ready()
        log(f"{name}: {connected} connected ({failed} failed) in {connect_s:.1f}s")
        with watch():
            sent = post(
                f"{name}-post",
                {
                    "urls": [post_url],
                    "bodies": bodies,
                    "secret": secret,
                    "concurrency": 2,
                    "interval_s": size["interval_s"],
                    "deadline_s": 240,
                },
            )["sent"]
        receipts = settle(fleet, connected, len(sent), size["settle_s"])
    finally:
        fleet.stop()
    send_time = {
        bodies[i]["record"]["fields"]["amount"]
        if "record" in bodies[i]
        else bodies[i]["data"]["item"]["changes"][0]["new"]: t
        for i, t, _, _ in sent
    }
    every, last, delivered = [], [], 0
    for marker, t0 in send_time.items():
        times = receipts.get(marker, [])
        delivered += len(times)
        every.extend((t - t0) * 1000 for t in times)
        if len(times) == connected:
            last.append((max(times) - t0) * 1000)
    expected = connected * len(send_time)
    return every, last, delivered, (delivered / expected if expected else 0.0)


def settle(fleet: SocketFleet, connected: int, events: int, bound_s: float) -> dict:
    """The receipts once every client has every event, or when `bound_s` has passed."""
    deadline = time.monotonic() + bound_s
    while True:
        receipts, _, _ = fleet.report()
        if sum(map(len, receipts.values())) >= connected * events:
            return receipts
        if time.monotonic() > deadline:
            return receipts
        time.sleep(0.2)


def run_one(label: str, mode: str, world: dict, size: dict, tag: str) -> dict:
    uids = world["followers"][: size["clients"]]
    clients = [{"token": world["tokens"][str(u)], "uid": u} for u in uids]
    # Both start side by side (setup only); the idle ceiling waits while ours is measured.
    server = ours(f"{label}-{mode}-ours", mode, world["database"], wait=False)
    ceiling = bare(f"{label}-{mode}-bare", mode, wait=False)
    try:
        server.wait_ready()
        ceiling.wait_ready()
        bodies = [event_body(world, k, f"{tag}-{mode}") for k in range(1, size["events"] + 1)]
        ours_every, ours_last, ours_n, ours_share = measure(
            f"{label}-{mode}-ours",
            server.url,
            f"{server.url}/api/v1/webhooks/events",
            clients,
            bodies,
            size,
            world["secret"],
            lambda: Profile(
                server.pid,
                300,
                f"{label}-{mode}",
                f"{label.upper()} {mode}: the server while it pushes to {len(clients)} clients",
            ),
        )
        item = sample_item(server.url, clients[0]["token"])
        server.stop()
        bodies = []
        for k in range(1, size["events"] + 1):
            payload = {**item, "changes": [{"field": "amount", "old": k - 1, "new": k}]}
            bodies.append(
                {"event": "feed_item", "users": uids, "data": {"seq": k, "item": payload}}
            )
        bare_every, bare_last, bare_n, bare_share = measure(
            f"{label}-{mode}-bare", ceiling.url, f"{ceiling.url}/emit", clients, bodies, size, None
        )
    finally:
        server.stop()
        ceiling.stop()
    return {
        "every": (Stats.of(ours_every), Stats.of(bare_every)),
        "last": (Stats.of(ours_last), Stats.of(bare_last)),
        "delivered": (ours_share, bare_share),
    }


def run_s2(quick: bool, modes) -> list[Result]:
    size = {**(S2_QUICK if quick else S2_FULL), "settle_s": SETTLE_S["quick" if quick else "full"]}
    world = worlds.world(quick, "main", "s2")

    def one(mode: str) -> list[Result]:
        log(f"S2 {mode}: {size['clients']} clients, {size['events']} events")
        got = run_one("s2", mode, world, size, f"s2-{time.time():.0f}")
        ours_s, bare_s = got["every"]
        worst = max(ratio(ours_s.median, bare_s.median), ratio(ours_s.p99, bare_s.p99))
        return [
            Result(
                "S2",
                f"webhook POST -> each of {size['clients']} clients ({mode})",
                "ms",
                ours_s,
                bare_s,
                "bare Flask-SocketIO emit",
                "<= 1.25x ceiling at p50 and p99",
                worst <= 1.25,
                [
                    f"{size['events']} events, one every {size['interval_s']}s; delivered"
                    f" {got['delivered'][0]:.1%} (ceiling {got['delivered'][1]:.1%})"
                ],
            )
        ]

    return each_mode("S2", modes, one)


def run_s5(quick: bool, mode: str = "eventlet") -> list[Result]:
    size = {**(S5_QUICK if quick else S5_FULL), "settle_s": SETTLE_S["quick" if quick else "full"]}
    world = worlds.world(quick, "main", "s5")
    log(f"S5 {mode}: {size['clients']} clients, {size['events']} events")
    got = run_one("s5", mode, world, size, f"s5-{time.time():.0f}")
    ours_s, bare_s = got["last"]
    return [
        Result(
            "S5",
            f"one event -> last of {size['clients']} followers ({mode})",
            "ms",
            ours_s,
            bare_s,
            "bare Flask-SocketIO emit",
            "p99 <= 1000 ms",
            ours_s.p99 <= 1000,
            [
                f"{size['events']} events, one every {size['interval_s']}s; delivered"
                f" {got['delivered'][0]:.1%} (ceiling {got['delivered'][1]:.1%}); events whose"
                f" every receipt arrived: {ours_s.n} of {size['events']} (ceiling {bare_s.n})"
            ],
        )
    ]
