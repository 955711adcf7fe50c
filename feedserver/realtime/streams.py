"""Each connection's feed stream: every item once, in seq order, across catch-up and live.

A stream keeps `delivered`, the highest seq this connection has been sent. Live items arrive in
any order (two commits' pushes may overtake each other, or race a catch-up); the rule that makes
them exact is that a user's seqs commit in increasing order (fan-out holds the user's counter
row lock until commit), so when seq s is pushed, every seq before it is readable. A gap is
therefore filled from the database, and anything at or below `delivered` is a duplicate.
"""

import logging
import threading
from collections.abc import Callable

from flask import Flask

from feedserver.extensions import db, socketio
from feedserver.realtime.catchup import cursor_problem, read_after
from feedserver.realtime.encoding import PushedItem
from feedserver.realtime.presented import PageItem
from feedserver.realtime.protocol import (
    CURSOR_EXPIRED,
    CURSOR_UNKNOWN,
    FEED_ITEM,
    FEED_PAGE,
    RESET,
)

NAMESPACE = "/"
# How long a catch-up started at connect waits for the handshake to finish.
CONNECT_WAIT_SECONDS = 10.0
# Longest pause between retries of a catch-up read the database refused.
CATCHUP_RETRY_MAX_SECONDS = 10.0
# resume()'s default: the cursor has not been checked yet.
_UNCHECKED = object()

log = logging.getLogger(__name__)

_streams: dict[str, "FeedStream"] = {}


def _send(event: str, data: dict, sid: str) -> None:
    item = data.get("item") if event == FEED_ITEM else None
    if isinstance(item, PushedItem):
        # A live push: its packet was encoded once for all its connections.
        item.send(sid, data["seq"])
        return
    socketio.server.emit(event, data, to=sid, namespace=NAMESPACE, ignore_queue=True)


class FeedStream:
    """The feed items owed to one connection of one user."""

    def __init__(self, app: Flask, sid: str, user_id: int, send: Callable = _send):
        self.app, self.sid, self.user_id, self._send = app, sid, user_id, send
        self.lock = threading.Lock()
        # None: nothing is sent until the client resumes (before a cursor, or after a reset).
        self.delivered: int | None = None
        self.catching_up = False
        self.buffer: list[tuple[int, dict | PushedItem]] = []
        # Bumped by every resume, so an older catch-up stops when a newer one starts.
        self.generation = 0

    # live path -----------------------------------------------------------------------------

    def offer(self, seq: int, item: dict | PushedItem) -> None:
        """A committed item was pushed to this user: send it, drop it, or fill the gap first."""
        with self.lock:
            if self.delivered is None:
                return
            if self.catching_up:
                self.buffer.append((seq, item))
                return
            if seq <= self.delivered:
                return
            if seq == self.delivered + 1:
                self._send(FEED_ITEM, {"seq": seq, "item": item}, self.sid)
                self.delivered = seq
                return
            self.catching_up = True
            self.buffer = [(seq, item)]
            generation = self.generation
        self._spawn(generation, as_pages=False)

    def go_live(self, after_seq: int) -> None:
        """Send only what commits after `after_seq` (a connection without a cursor)."""
        with self.lock:
            self.generation += 1
            self.delivered, self.catching_up, self.buffer = after_seq, False, []

    # resume --------------------------------------------------------------------------------

    def resume(self, last_seq: int, problem: str | None | object = _UNCHECKED) -> None:
        """Send everything after `last_seq` in pages, then live; or `reset` if it cannot be.

        `problem` is `cursor_problem`'s answer when the caller has read it already.
        """
        if problem is _UNCHECKED:
            with self.app.app_context():
                problem = cursor_problem(self.user_id, last_seq)
        with self.lock:
            self.generation += 1
            generation = self.generation
            self.buffer = []
            if problem:
                self.delivered, self.catching_up = None, False
                reset = {"reason": problem, "message": RESET_MESSAGES[problem]}
            else:
                self.delivered, self.catching_up = last_seq, True
        if problem:
            socketio.start_background_task(
                self._after_connect, lambda: self._send(RESET, reset, self.sid)
            )
            return
        self._spawn(generation, as_pages=True)

    def _spawn(self, generation: int, *, as_pages: bool) -> None:
        socketio.start_background_task(
            self._after_connect, lambda: self._catch_up(generation, as_pages)
        )

    def _after_connect(self, then: Callable[[], None]) -> None:
        """Run `then` once the Socket.IO handshake is complete (a connect handler cannot send)."""
        waited, pause = 0.0, 0.005
        manager = socketio.server.manager
        while not manager.is_connected(self.sid, NAMESPACE):
            if _streams.get(self.sid) is not self or waited > CONNECT_WAIT_SECONDS:
                return
            socketio.sleep(pause)
            waited += pause
            # Backing off: in a storm thousands wait here, and in threading mode each is a thread
            # that must take the GIL to look again.
            pause = min(pause * 2, 0.2)
        then()

    def _catch_up(self, generation: int, as_pages: bool) -> None:
        page_size = self.app.config["REALTIME_CATCHUP_PAGE_SIZE"]
        while True:
            with self.lock:
                if generation != self.generation:
                    return
                after = self.delivered
            page = self._read_with_retry(generation, after, page_size)
            if page is None:
                return
            with self.lock:
                if generation != self.generation:
                    return
                self._send_page(page.items, page.has_more, as_pages)
                if page.has_more:
                    continue
                if self._drain_buffer():
                    self.catching_up = False
                    return
                # A buffered item lies beyond a gap: read the database again.
                as_pages = False

    def _read_with_retry(self, generation: int, after: int, page_size: int):
        """Read the next page; while the database fails, retry with capped backoff.

        Giving up would leave the stream catching up for good, buffering every live item; a
        busy pool (a reconnect storm) clears, so the stream waits for it while the client stays.
        """
        delay = 0.5
        while generation == self.generation:
            try:
                with self.app.app_context():
                    try:
                        # None if closed or resumed anew while it waited for a slot.
                        return read_after(
                            self.user_id,
                            after,
                            page_size,
                            wanted=lambda: generation == self.generation,
                        )
                    finally:
                        db.session.remove()
            except Exception:
                log.exception("catch-up read failed for %s; retrying in %.1fs", self.sid, delay)
                socketio.sleep(delay)
                delay = min(delay * 2, CATCHUP_RETRY_MAX_SECONDS)
        return None

    def _send_page(self, items: list[PageItem], has_more: bool, as_pages: bool) -> None:
        fresh = [item for item in items if item.seq > self.delivered]
        if as_pages:
            self._send(FEED_PAGE, {"items": fresh, "has_more": has_more}, self.sid)
        else:
            for item in fresh:
                self._send(FEED_ITEM, {"seq": item.seq, "item": item.live_form()}, self.sid)
        if fresh:
            self.delivered = fresh[-1].seq

    def _drain_buffer(self) -> bool:
        """Send buffered live items that follow on; False if one lies beyond a gap."""
        pending = sorted(self.buffer, key=lambda pair: pair[0])
        self.buffer = []
        for index, (seq, item) in enumerate(pending):
            if seq <= self.delivered:
                continue
            if seq != self.delivered + 1:
                self.buffer = pending[index:]
                return False
            self._send(FEED_ITEM, {"seq": seq, "item": item}, self.sid)
            self.delivered = seq
        return True


RESET_MESSAGES = {
    CURSOR_EXPIRED: "Your last_seq is older than the retention window; reload the feed.",
    CURSOR_UNKNOWN: "This server never gave you that last_seq; reload the feed.",
}


def open_stream(app: Flask, sid: str, user_id: int) -> FeedStream:
    """Register the stream of a connection that just authenticated."""
    stream = FeedStream(app, sid, user_id)
    _streams[sid] = stream
    return stream


def close_stream(sid: str) -> None:
    """Forget a connection; a catch-up still running for it stops at its next step."""
    stream = _streams.pop(sid, None)
    if stream is not None:
        with stream.lock:
            stream.generation += 1


def get_stream(sid: str) -> FeedStream | None:
    return _streams.get(sid)


def offer(sid: str, seq: int, item: dict | PushedItem) -> None:
    """Hand a pushed item to the local connection `sid` (called by the client manager)."""
    stream = _streams.get(sid)
    if stream is not None:
        stream.offer(seq, item)
