"""Per-process limits on how many sockets use the database at once (handshakes, catch-ups).

Under eventlet and gevent nothing else bounds it: a reconnect storm starts thousands of
greenlets that each check a connection out of the pool and then wait their turn for the CPU
while holding it. A greenlet waiting here holds no connection. `threading` is green once
wsgi.py has monkey-patched, so the same semaphore serves all three async modes.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app

_made = threading.Lock()


@contextmanager
def slot(setting: str) -> Iterator[None]:
    """Hold one of the app's `setting`-sized slots (e.g. REALTIME_CATCHUP_CONCURRENCY)."""
    app = current_app._get_current_object()
    gates = app.extensions.setdefault("realtime_gates", {})
    gate = gates.get(setting)
    if gate is None:
        with _made:
            gate = gates.setdefault(setting, threading.BoundedSemaphore(app.config[setting]))
    with gate:
        yield
