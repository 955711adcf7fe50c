"""Per-process limits on how many sockets use the database at once (handshakes, catch-ups).

Under eventlet and gevent nothing else bounds it: a reconnect storm starts thousands of
greenlets that each check a connection out of the pool and then wait their turn for the CPU
while holding it. A greenlet waiting here holds no connection. `threading` is green once
wsgi.py has monkey-patched, so the same lock and conditions serve all three async modes.

A slot may also give way to another kind: catch-ups wait while handshakes queue. In a storm,
a client that is not let in within its connect timeout (20 s in socket.io-client) gives up
and tries again, so every handshake finished late is work thrown away; a catch-up finished late
only means its items arrive a little later.
"""

import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from flask import current_app

_made = threading.Lock()


class Gates:
    """Bounded slots by setting name, sized from the app's config, in one process."""

    def __init__(self, sizes: Mapping[str, int]):
        self._sizes = sizes
        self._lock = threading.Lock()
        self._held: dict[str, int] = defaultdict(int)
        self._waiting: dict[str, int] = defaultdict(int)
        # One condition per kind over one lock: a release wakes one waiter of its own kind,
        # never the whole crowd.
        self._turns: dict[str, threading.Condition] = {}
        self._giving_way: dict[str, set[str]] = defaultdict(set)

    @contextmanager
    def slot(self, setting: str, give_way_to: tuple[str, ...] = ()) -> Iterator[None]:
        """Hold one `setting` slot; while any `give_way_to` kind is queued, do not take one."""
        with self._lock:
            turn = self._turn(setting)
            for other in give_way_to:
                self._giving_way[other].add(setting)
            self._waiting[setting] += 1
            try:
                while not self._may_enter(setting, give_way_to):
                    turn.wait()
            finally:
                self._waiting[setting] -= 1
                if not self._waiting[setting]:
                    self._wake_those_giving_way_to(setting)
            self._held[setting] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held[setting] -= 1
                turn.notify()

    def _turn(self, setting: str) -> threading.Condition:
        if setting not in self._turns:
            self._turns[setting] = threading.Condition(self._lock)
        return self._turns[setting]

    def _may_enter(self, setting: str, give_way_to: tuple[str, ...]) -> bool:
        if self._held[setting] >= self._sizes[setting]:
            return False
        return not any(self._waiting[other] for other in give_way_to)

    def _wake_those_giving_way_to(self, setting: str) -> None:
        # Their waiters went back to sleep when a release woke them during the queue.
        for other in self._giving_way[setting]:
            free = self._sizes[other] - self._held[other]
            if free > 0:
                self._turn(other).notify(free)


@contextmanager
def slot(setting: str, give_way_to: tuple[str, ...] = ()) -> Iterator[None]:
    """Hold one of the app's `setting`-sized slots (e.g. REALTIME_CATCHUP_CONCURRENCY)."""
    app = current_app._get_current_object()
    gates = app.extensions.get("realtime_gates")
    if gates is None:
        with _made:
            gates = app.extensions.setdefault("realtime_gates", Gates(app.config))
    with gates.slot(setting, give_way_to):
        yield
