"""The worlds the scenarios run in: built once per run, side by side, each in its own process.

S2, S3, S5, S6 and S7 share one PostgreSQL world (users with tokens and one group of deals per
scenario, so each scenario fans out to exactly its own followers); S1 has its own PostgreSQL
and SQLite worlds (its thousands of fan-outs would bloat the shared inboxes). Building them all
at the start, in parallel, costs one application start per core instead of one per scenario.
S4's data is generated and kept apart (bench/feed_data.py).
"""

from bench.common import PG_URL, finish_world, log, sqlite_url, start_world
from bench.feed_data import ensure_database

# S1's PostgreSQL world lives in its own database next to the shared one.
S1_PG_URL = PG_URL + "_s1"
NEEDS = {
    "S1": ("s1-postgresql", "s1-sqlite"),
    "S2": ("main",),
    "S3": ("main",),
    "S5": ("main",),
    "S6": ("main",),
    "S7": ("main",),
}
_built: dict[tuple[bool, str], dict] = {}


def specs(quick: bool) -> dict[str, dict]:
    """Every world a run may need, sized from the scenarios' own size tables."""
    from bench import s1_webhooks, s2_push, s3_idle, s6_scale_out, s7_resilience

    def pick(module, full="FULL", small="QUICK"):
        return getattr(module, small if quick else full)

    s1 = pick(s1_webhooks)
    s2, s5 = pick(s2_push, "S2_FULL", "S2_QUICK"), pick(s2_push, "S5_FULL", "S5_QUICK")
    s3, s6, s7 = pick(s3_idle), pick(s6_scale_out), pick(s7_resilience)
    s1_group = {"s1": {"records": s1["records"], "followers": s1["followers"]}}
    return {
        "main": {
            "database": PG_URL,
            "users": max(s2["clients"], s3["clients"], s5["clients"], s6["clients"], s7["clients"]),
            "groups": {
                "s2": {"records": 1, "followers": s2["clients"]},
                "s5": {"records": 1, "followers": s5["clients"]},
                "s6": {
                    "records": s6["records"],
                    "followers": s6["clients"] // s6["records"],
                    "disjoint": True,
                },
                "s7": {"records": 1, "followers": s7["clients"]},
            },
        },
        "s1-postgresql": {"database": S1_PG_URL, "users": s1["followers"], "groups": s1_group},
        "s1-sqlite": {"users": s1["followers"], "groups": s1_group},
    }


def prepare(quick: bool, scenarios) -> None:
    """Build the worlds these scenarios need and are not built yet, all at once."""
    wanted = {name for scenario in scenarios for name in NEEDS.get(scenario, ())}
    todo = {name: spec for name, spec in specs(quick).items() if name in wanted}
    todo = {name: spec for name, spec in todo.items() if (quick, name) not in _built}
    if not todo:
        return
    log(f"worlds: building {', '.join(sorted(todo))}")
    started = {}
    for name, spec in todo.items():
        if name == "s1-sqlite":
            spec = {**spec, "database": sqlite_url("s1")}
        else:
            ensure_database(spec["database"])
        started[name] = start_world(name, spec)
    for name, running in started.items():
        _built[(quick, name)] = finish_world(running)


def world(quick: bool, name: str, group: str | None = None) -> dict:
    """A built world (built now if it is not yet); with `group`, that group's deals on top."""
    prepare_one = (quick, name) not in _built
    if prepare_one:
        scenario = next(s for s, names in NEEDS.items() if name in names)
        prepare(quick, [scenario])
    found = _built[(quick, name)]
    return {**found, **found["groups"][group]} if group else found
