"""Run the benchmark scenarios and write the report: `python -m bench.run [--quick] [--only S1,S4]`.

Full runs write docs/benchmarks.md once the stored results hold every scenario (before that, as
after a first `--only` into an empty BENCH_RESULTS_DIR, bench/results/partial.md, so a trial
never replaces the full report); quick runs (a small version of every scenario, in eventlet
mode unless --modes says otherwise, without profiles unless --profile; for trying the harness
and as a smoke test) write bench/results/quick.md. The exit status is non-zero only when a
scenario (or one of its modes) crashed, never because a target was missed. Results are kept
per scenario in bench/results/results-<full|quick>.json, so `--only` re-runs some and the
report shows all.
"""

import argparse
import atexit
import dataclasses
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

from bench import profiles, report, worlds
from bench.common import (
    MODES,
    OUT,
    PG_URL,
    ROOT,
    app_commit,
    busy_processes,
    log,
    machine,
    raise_fd_limit,
    stop_children,
)

SCENARIOS = ("S1", "S2", "S3", "S4", "S5", "S6", "S7")


def scenario(name: str, quick: bool, modes: tuple[str, ...], profile: bool):
    """The results of one scenario, and the profiles taken while it ran."""
    from bench import (
        profiles,
        s1_webhooks,
        s2_push,
        s3_idle,
        s4_home_feed,
        s6_scale_out,
        s7_resilience,
    )

    profiles.ENABLED = profile
    runners = {
        "S1": lambda: s1_webhooks.run(quick),
        "S2": lambda: s2_push.run_s2(quick, modes),
        "S3": lambda: s3_idle.run(quick, modes),
        "S4": lambda: s4_home_feed.run(quick),
        "S5": lambda: s2_push.run_s5(quick),
        "S6": lambda: s6_scale_out.run(quick),
        "S7": lambda: s7_resilience.run(quick, modes),
    }
    profiles.TAKEN.clear()
    results = runners[name]()
    return results, dict(profiles.TAKEN)


def cpu_seconds() -> float:
    """User + system CPU of this process and of its children that have ended."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        used = resource.getrusage(who)
        total += used.ru_utime + used.ru_stime
    return total


def default_report(quick: bool, results: dict) -> Path:
    """Where a run's report goes without --out: docs/benchmarks.md only for a full set."""
    if quick:
        return OUT / "quick.md"
    missing = [name for name in SCENARIOS if name not in results]
    if missing:
        log(f"no results for {', '.join(missing)}: docs/benchmarks.md is left as it is")
        return OUT / "partial.md"
    return ROOT / "docs" / "benchmarks.md"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small version of every scenario")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="e.g. S1,S4")
    parser.add_argument(
        "--modes", help="async modes for S2, S3, S7 (default: all three; eventlet when --quick)"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles")
    parser.add_argument(
        "--profile", action="store_true", help="take the py-spy profiles in a quick run too"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="only write the report from stored results"
    )
    parser.add_argument("--out", help="report path (default: docs/benchmarks.md when full)")
    args = parser.parse_args(argv)
    raise_fd_limit()
    atexit.register(stop_children)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    from bench.feed_data import ensure_database

    ensure_database(PG_URL)
    kind = "quick" if args.quick else "full"
    store_path = OUT / f"results-{kind}.json"
    store = json.loads(store_path.read_text()) if store_path.exists() else {}
    modes_text = args.modes or ("eventlet" if args.quick else ",".join(MODES))
    modes = tuple(m for m in modes_text.split(",") if m)
    # Profiles cost a quick run time (py-spy start, summaries); a full run takes them.
    profile = args.profile or not (args.quick or args.no_profile)
    failed = []
    started = time.monotonic()
    names = [] if args.report_only else [s.strip().upper() for s in args.only.split(",")]
    names = [name for name in names if name]
    for name in names:
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name}")
    prepared, cpu_before = time.monotonic(), cpu_seconds()
    try:
        # Every world the chosen scenarios need, built side by side before the first one runs.
        worlds.prepare(args.quick, names)
    except Exception:
        traceback.print_exc()  # each scenario that needs the world tries again and fails alone
    if "S4" in names:
        # S4's data (1M items in full) is generated once and kept, outside the scenario's time.
        from bench import s4_home_feed

        try:
            s4_home_feed.prepare(args.quick)
        except Exception:
            traceback.print_exc()
    log(
        f"== setup took {time.monotonic() - prepared:.0f}s, {cpu_seconds() - cpu_before:.0f}s of CPU"
    )
    for name in names:
        run = {
            "commit": app_commit(),
            "started": time.strftime("%H:%M:%S UTC", time.gmtime()),
            "load": os.getloadavg(),
            "busy": busy_processes(),
        }
        log(f"== {name} ({kind})")
        began, cpu_before = time.monotonic(), cpu_seconds()
        try:
            results, taken = scenario(name, args.quick, modes, profile)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        # A mode that crashed is shown as "failed" and keeps the other modes' figures; the run
        # still counts the scenario as crashed.
        if any(r.figure == "failed" for r in results):
            failed.append(name)
        run["finished"] = time.strftime("%H:%M:%S UTC", time.gmtime())
        run["seconds"] = round(time.monotonic() - began)
        # CPU of the runner and every process it started and reaped (servers, load, worlds):
        # on a busy machine the wall time stretches, this does not.
        run["cpu_seconds"] = round(cpu_seconds() - cpu_before)
        log(f"== {name} ({kind}) took {run['seconds']}s, {run['cpu_seconds']}s of CPU")
        run["results"] = [dataclasses.asdict(r) for r in results]
        run["profiles"] = taken
        # A re-run of some modes keeps the figures of the modes it did not measure.
        previous = store.get(name, {})
        fresh = {r["what"] for r in run["results"]}
        kept = [r for r in previous.get("results", []) if r["what"] not in fresh]
        run["results"] = kept + run["results"]
        run["profiles"] = profiles.merged(previous.get("profiles", {}), taken)
        if kept:
            run["started"] = f"{previous['started']} (and {run['started']})"
        store[name] = run
        store_path.write_text(json.dumps(store, indent=1, default=str))
    ordered = {name: store[name] for name in SCENARIOS if name in store}
    out = args.out or default_report(args.quick, ordered)
    report.write(type(OUT)(out), ordered, machine(), args.quick)
    log(
        f"wrote {out} in {time.monotonic() - started:.0f}s"
        + (f"; scenarios that crashed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
