"""S7: the event loop stays responsive while slow queries run; then a mass drop and reconnect.

Part 1: a client sends `ping` (acked by the server) every 20 ms, first on an idle server, then
while four requests each hold a database connection in `pg_sleep` (the debug route). Part 2:
clients follow a deal and receive its changes while events keep coming; halfway, every
client's transport is closed at once and each reconnects with its `last_seq`. At the end each
client's received seqs are compared with its inbox in the database: nothing lost, nothing twice.
"""

import json
import subprocess
import time

import psycopg2

from bench import worlds
from bench.common import OUT, PG_URL, Result, Stats, each_mode, log, ours
from bench.fleet import SocketFleet, finish_post, start_post

# reconnect_s bounds the wait for every dropped client to be back; resume_s the wait, after
# that, for every owed item to arrive. An item still missing then counts as lost: the bound is
# long enough to tell a late item from a lost one, and how long they took is reported with it.
FULL = {
    "clients": 2000,
    "events": 40,
    "interval_s": 0.15,
    "pings": 150,
    "sleepers": 4,
    "reconnect_s": 30,
    "resume_s": 60,
}
QUICK = {
    "clients": 100,
    "events": 8,
    "interval_s": 0.15,
    "pings": 40,
    "sleepers": 2,
    "reconnect_s": 20,
    "resume_s": 10,
}
PING_EVERY_S = 0.02
SLEEP_S = 3


def loop_health(server, world: dict, size: dict) -> tuple[Stats, Stats, int]:
    uid = world["uids"][0]
    pinger = SocketFleet(
        f"s7-{server.mode}-pinger",
        server.url,
        [{"token": world["tokens"][str(uid)], "uid": uid}],
        processes=1,
    )
    try:
        pinger.wait_ready()
        idle = pinger.first(f"ping {size['pings']} {PING_EVERY_S}", "pings")
        sleepers = [
            subprocess.Popen(
                [
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "--max-time",
                    "30",
                    f"{server.url}/_debug/db-sleep?seconds={SLEEP_S}",
                ]
            )
            for _ in range(size["sleepers"])
        ]
        time.sleep(0.2)
        pings = int(SLEEP_S / PING_EVERY_S * 0.8)
        busy = pinger.first(f"ping {pings} {PING_EVERY_S}", "pings")
        for proc in sleepers:
            proc.wait(timeout=60)
    finally:
        pinger.stop()
    ms = [rtt * 1000 for rtt in busy["rtts"]]
    return Stats.of(ms), Stats.of(rtt * 1000 for rtt in idle["rtts"]), busy["failures"]


def inbox_after(uids: list[int], after: dict[int, int]) -> dict[int, list[int]]:
    with psycopg2.connect(PG_URL) as conn, conn.cursor() as cur:
        cur.execute("SELECT user_id, seq FROM inbox WHERE user_id = ANY(%s)", (uids,))
        rows = cur.fetchall()
    conn.close()
    owed: dict[int, list[int]] = {uid: [] for uid in uids}
    for uid, seq in rows:
        if seq > after[uid]:
            owed[uid].append(seq)
    return owed


def counters(uids: list[int]) -> dict[int, int]:
    with psycopg2.connect(PG_URL) as conn, conn.cursor() as cur:
        cur.execute("SELECT user_id, last_seq FROM inbox_counters WHERE user_id = ANY(%s)", (uids,))
        found = dict(cur.fetchall())
    conn.close()
    return {uid: found.get(uid, 0) for uid in uids}


def drop_and_resume(server, world: dict, size: dict) -> dict:
    uids = world["followers"][: size["clients"]]
    start = counters(uids)
    clients = [{"token": world["tokens"][str(u)], "uid": u, "last_seq": start[u]} for u in uids]
    fleet = SocketFleet(f"s7-{server.mode}-clients", server.url, clients)
    try:
        connected, failed, _ = fleet.wait_ready()
        log(f"S7 {server.mode}: {connected} clients connected ({failed} failed)")
        bodies = [
            {
                "type": "record.updated",
                "idempotency_key": f"s7-{server.mode}-{time.time()}-{k}",
                "record": {
                    "type": "opportunity",
                    "external_id": world["records"][0],
                    "fields": {"amount": 10_000 + k},
                },
            }
            for k in range(size["events"])
        ]
        sender = start_post(
            f"s7-{server.mode}-post",
            {
                "urls": [f"{server.url}/api/v1/webhooks/events"],
                "bodies": bodies,
                "secret": world["secret"],
                "concurrency": 1,
                "interval_s": size["interval_s"],
                "deadline_s": 120,
            },
        )
        time.sleep(size["events"] * size["interval_s"] / 2)
        dropped_at = time.monotonic()
        drop = fleet.command(f"drop {size['reconnect_s']}", "reconnected", timeout=90)
        posted = finish_post(sender)
        # An event the server did not take in time (or at all) is never owed to anyone: the
        # storm must not pass as clean because the events it should carry never got in.
        accepted = sum(1 for row in posted["sent"] if 200 <= row[3] < 300)
        owed = inbox_after(uids, start)
        deadline = time.monotonic() + size["resume_s"]
        while True:
            _, seqs, _ = fleet.report()
            done = all(set(seqs.get(str(u), [])) >= set(owed[u]) for u in uids)
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        settled_s = time.monotonic() - dropped_at if done else None
        # A moment more, so a duplicate sent after the last owed item is seen too.
        time.sleep(0.5)
        _, seqs, held = fleet.report()
        offline = set(fleet.offline)
        stopped_retrying = fleet.stopped_retrying
    finally:
        fleet.stop()
    lost = duplicated = foreign = lost_online = holes = 0
    detail = {}
    for uid in uids:
        got = seqs.get(str(uid), [])
        duplicated += len(got) - len(set(got))
        missing = sorted(set(owed[uid]) - set(got))
        lost += len(missing)
        if uid not in offline:
            lost_online += len(missing)
        # A hole lies below what the client already has: skipped, not merely late.
        holes += sum(1 for seq in missing if got and seq < max(got))
        foreign += len(set(got) - set(owed[uid]))
        if missing or len(got) != len(set(got)):
            detail[uid] = {"missing": missing, "got": got, "offline": uid in offline}
    (OUT / f"s7-{server.mode}-detail.json").write_text(json.dumps(detail))
    return {
        "reconnected": sum(d["n"] for d in drop),
        "reconnect_s": max(d["seconds"] for d in drop),
        "lost": lost,
        "holes": holes,
        "lost_online": lost_online,
        "offline": len(offline),
        "stopped_retrying": stopped_retrying,
        "settled_s": settled_s,
        "duplicated": duplicated,
        "foreign": foreign,
        "held": held,
        "owed": sum(len(v) for v in owed.values()),
        "events": len(bodies),
        "accepted": accepted,
        "clients": len(uids),
    }


def run(quick: bool, modes) -> list[Result]:
    size = QUICK if quick else FULL
    world = worlds.world(quick, "main", "s7")

    def one(mode: str) -> list[Result]:
        results = []
        log(f"S7 {mode}")
        server = ours(f"s7-{mode}-server", mode, PG_URL, REALTIME_DEBUG_ROUTES=1)
        try:
            busy, idle, failures = loop_health(server, world, size)
            outcome = drop_and_resume(server, world, size)
        finally:
            server.stop()
        results.append(
            Result(
                "S7",
                f"ping ack while {size['sleepers']} x {SLEEP_S}s queries run ({mode})",
                "ms",
                busy,
                idle,
                "same server, idle",
                "p99 <= 50 ms",
                busy.p99 <= 50 and not failures,
                [f"{failures} pings unanswered in 10 s"] if failures else [],
            )
        )
        gave_up = ", ".join(f"{n} after {why}" for why, n in outcome["stopped_retrying"].items())
        clean = (
            outcome["lost"] == 0
            and outcome["duplicated"] == 0
            and outcome["foreign"] == 0
            and outcome["accepted"] == outcome["events"]
        )
        results.append(
            Result(
                "S7",
                f"{outcome['clients']} clients drop and resume ({mode})",
                "items",
                Stats(outcome["owed"], float("nan"), float("nan")),
                None,
                "",
                "zero lost, zero duplicated",
                # The target is about items; how fast the fleet came back is in the note.
                clean and outcome["offline"] == 0,
                [
                    f"webhook events accepted {outcome['accepted']} of {outcome['events']}"
                    f" (each POST waits 30 s); items owed {outcome['owed']},"
                    f" not owed but received {outcome['foreign']};"
                    f" missing {size['resume_s']}s after the reconnect (lost) at clients that"
                    f" are connected then: {outcome['lost_online']}"
                    f" (of which below a seq the client has, i.e. skipped: {outcome['holes']});"
                    f" clients still offline at the end: {outcome['offline']}"
                    f" (their client library stopped retrying: {gave_up or 'none'});"
                    f" reconnected {outcome['reconnected']}/{outcome['clients']} in"
                    f" {outcome['reconnect_s']:.1f}s; every owed item at its client "
                    + (
                        f"{outcome['settled_s']:.1f}s after the drop"
                        if outcome["settled_s"] is not None
                        else "not within the wait"
                    )
                ],
                figure=f"lost {outcome['lost']}, duplicated {outcome['duplicated']}"
                f" of {outcome['owed']}"
                + (
                    f"; all in {outcome['settled_s']:.0f} s"
                    if outcome["settled_s"] is not None
                    else ""
                ),
            )
        )
        return results

    return each_mode("S7", modes, one)
