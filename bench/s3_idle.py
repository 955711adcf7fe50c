"""S3: many idle authenticated WebSocket connections on one server process, against bare.

Both servers get the same clients from the same load-generator processes. Once all are
connected and the server has settled, RSS is read and CPU is sampled over an idle window
(Engine.IO's own pings every 25 s are part of idle). "Held" = still connected at the end.
"""

import time

from bench import worlds
from bench.common import PG_URL, Result, Stats, bare, log, ours, ratio
from bench.fleet import SocketFleet
from bench.profiles import Profile

# The settling lets a connect storm's stragglers (retries, connects queued for a database
# connection) finish first: they are not idle cost.
# A full run samples idle CPU over one Engine.IO ping interval ("idle_s": None), so every
# connection pings exactly once in the window whenever it connected: a shorter window can miss
# one server's ping wave and catch the other's (their connects take different times).
FULL = {"clients": 10000, "idle_s": None, "settle_s": 5}
QUICK = {"clients": 300, "idle_s": 2, "settle_s": 1}
# Threading mode spends about 4 OS threads per WebSocket connection (server thread, socket
# reader, writer, ping); 10,000 connections would need ~40,000 threads, more than the
# machine's pid_max (32,768 here), and would break every other process on it. It is
# measured with at most this many connections.
THREADING_CAP = 2000
# gevent's server holds two descriptors per WebSocket; with the usual hard limit of 20,000
# open files (not raisable here), it is measured with at most this many connections.
GEVENT_CAP = 9000


def hold(
    name: str, server, clients: list[dict], size: dict, idle_s: float, profile: bool = False
) -> dict:
    base_rss = server.rss_mb()
    fleet = SocketFleet(name, server.url, clients)
    try:
        connected, failed, connect_s = fleet.wait_ready(timeout=420)
        log(f"{name}: {connected} connected ({failed} failed) in {connect_s:.1f}s")
        time.sleep(size["settle_s"])
        cpu0, t0 = server.cpu_seconds(), time.monotonic()
        time.sleep(idle_s)
        cpu = (server.cpu_seconds() - cpu0) / (time.monotonic() - t0)
        if profile:
            # Profiled after the CPU window, so py-spy's own sampling is not counted in it.
            with Profile(
                server.pid,
                10,
                name,
                f"S3 {server.mode}: the server while {connected} connections are idle",
            ):
                time.sleep(5 if idle_s >= 10 else 2)
        rss = server.rss_mb()
        threads = server.ps.num_threads()
        _, _, held = fleet.report()
    finally:
        fleet.stop()
    return {
        "connected": connected,
        "held": held,
        "rss": rss,
        "base_rss": base_rss,
        "cpu": cpu * 100,
        "threads": threads,
        "connect_s": connect_s,
    }


def measure_mode(mode: str, clients: list[dict], size: dict) -> list[Result]:
    """RSS, memory per connection and idle CPU of ours and of bare, for one async mode."""
    results = []
    # Both start side by side (setup only); the idle ceiling waits while ours is measured.
    server = ours(f"s3-{mode}-ours", mode, PG_URL, wait=False)
    ceiling = bare(f"s3-{mode}-bare", mode, wait=False)
    try:
        server.wait_ready()
        ceiling.wait_ready()
        # Idle cost is mostly Engine.IO's pings: the comparison is fair only with equal timings.
        timing = server.engineio_timing(), ceiling.engineio_timing()
        idle_s = size["idle_s"] or max(t["pingInterval"] for t in timing) / 1000
        mine = hold(f"s3-{mode}-ours", server, clients, size, idle_s, profile=True)
        server.stop()
        theirs = hold(f"s3-{mode}-bare", ceiling, clients, size, idle_s)
    finally:
        server.stop()
        ceiling.stop()
    n = len(clients)
    window = "" if size["idle_s"] else " (one ping interval)"
    all_held = mine["held"] == n
    per_conn = [(r["rss"] - r["base_rss"]) * 1024 / max(1, r["connected"]) for r in (mine, theirs)]
    results.append(
        Result(
            "S3",
            f"memory per connection, RSS growth / connections ({mode})",
            "KB",
            Stats(1, per_conn[0], float("nan")),
            Stats(1, per_conn[1], float("nan")),
            "bare Flask-SocketIO server",
            "",
            None,
            [],
        )
    )
    results.append(
        Result(
            "S3",
            f"{n} idle connections: RSS ({mode})",
            "MB",
            Stats(1, mine["rss"], float("nan")),
            Stats(1, theirs["rss"], float("nan")),
            "bare Flask-SocketIO server",
            "all held; <= 1.1x ceiling",
            all_held and ratio(mine["rss"], theirs["rss"]) <= 1.1,
            [
                f"held {mine['held']}/{n} (ceiling {theirs['held']}/{n}); RSS before connecting"
                f" {mine['base_rss']:.0f} MB (ceiling {theirs['base_rss']:.0f} MB); connecting took"
                f" {mine['connect_s']:.0f}s (ceiling {theirs['connect_s']:.0f}s); OS threads"
                f" {mine['threads']} (ceiling {theirs['threads']})"
            ],
        )
    )
    results.append(
        Result(
            "S3",
            f"{n} idle connections: CPU % of one core ({mode})",
            "%",
            Stats(1, mine["cpu"], float("nan")),
            Stats(1, theirs["cpu"], float("nan")),
            "bare Flask-SocketIO server",
            "<= 5% of a core",
            mine["cpu"] <= 5,
            [
                f"sampled over {idle_s:.0f}s{window} after {size['settle_s']}s settling; Engine.IO"
                f" ping every {timing[0]['pingInterval']} ms, timeout {timing[0]['pingTimeout']} ms"
                f" (ceiling {timing[1]['pingInterval']} ms, {timing[1]['pingTimeout']} ms)"
            ],
        )
    )
    return results


def run(quick: bool, modes) -> list[Result]:
    size = QUICK if quick else FULL
    world = worlds.world(quick, "main")
    uids = world["uids"][: size["clients"]]
    clients = [{"token": world["tokens"][str(u)], "uid": u} for u in uids]
    results = []
    all_clients = clients
    for mode in modes:
        cap = {"threading": THREADING_CAP, "gevent": GEVENT_CAP}.get(mode, len(all_clients))
        clients = all_clients[:cap]
        log(f"S3 {mode}: {len(clients)} idle connections")
        try:
            results += measure_mode(mode, clients, size)
        except Exception as exc:  # one mode failing must not lose the others' figures
            log(f"S3 {mode} failed: {exc}")
            results.append(
                Result(
                    "S3",
                    f"{len(clients)} idle connections ({mode})",
                    "",
                    Stats(0, float("nan"), float("nan")),
                    None,
                    "bare Flask-SocketIO server",
                    "all held",
                    False,
                    [f"{mode}: {str(exc).splitlines()[0][:200]}"],
                    figure="failed",
                )
            )
    return results
