"""Load generator: many real python-socketio clients in one process, driven over stdin/stdout.

Reads a JSON spec file (argv[1]): {"url", "clients": [{"token", "uid", "last_seq"?}],
"connect_concurrency", "deadline_s"}. Connects every client over WebSocket, prints
{"event": "ready", ...}, then obeys one command per stdin line and answers with one JSON line:

  report      the receipts so far: per-marker receipt times (S2, S5) and per-client seqs (S7)
  drop [S]    close every client's transport at once; they reconnect with their last_seq;
              answers once all are back or after S seconds (default 30)
  ping N S    the first client sends N `ping` events, one every S seconds; answers RTTs
  quit        disconnect all and exit

Times are time.monotonic(), which is one system-wide clock on Linux, so the runner can
compare them with the send times of another process.
"""

import asyncio
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp
import socketio

DRAIN_TIMEOUT = 5


def marker_of(data) -> int | None:
    """The benchmark's event number: the new `amount` of the change the item carries."""
    try:
        for change in data["item"]["changes"]:
            if change["field"] == "amount":
                return int(change["new"])
    except (KeyError, TypeError, ValueError):
        return None
    return None


class BrowserLikeClient(socketio.AsyncClient):
    """python-socketio's client, waiting for a handshake as long as the browser's socket.io-client.

    Its automatic reconnect calls `connect` with the library's default `wait_timeout` of 1 s, so
    under load every reconnect slower than 1 s is abandoned and retried; socket.io-client (our
    web page's) waits 20 s. The storm measured is then the one browsers would make.
    """

    async def connect(self, *args, wait_timeout=20, **kwargs):
        return await super().connect(*args, wait_timeout=wait_timeout, **kwargs)


class Client:
    """One connection that remembers its seqs and when each marked event arrived."""

    def __init__(self, spec: dict, session: aiohttp.ClientSession, receipts):
        self.spec = spec
        self.last_seq = spec.get("last_seq")
        self.seqs: list[int] = []
        self.connects = 0
        self.receipts = receipts
        self.sio = BrowserLikeClient(
            http_session=session,
            # python-socketio's (and the JS client's) own back-off: 1 s doubling to 5 s, ±50%.
            reconnection_delay=1,
            reconnection_delay_max=5,
            randomization_factor=0.5,
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("feed_item", self._on_item)
        self.sio.on("feed_page", self._on_page)

    def auth(self) -> dict:
        data = {"token": self.spec["token"], "uid": self.spec["uid"]}
        if self.last_seq is not None:
            data["last_seq"] = self.last_seq
        return data

    async def _on_connect(self):
        self.connects += 1

    def _take(self, seq) -> None:
        if isinstance(seq, int):
            self.seqs.append(seq)
            self.last_seq = seq if self.last_seq is None else max(self.last_seq, seq)

    async def _on_item(self, data):
        now = time.monotonic()
        marker = marker_of(data)
        if marker is not None:
            self.receipts[marker].append(now)
        self._take(data.get("seq"))

    async def _on_page(self, data):
        for item in data.get("items", []):
            self._take(item.get("seq"))

    async def connect(self, url: str) -> None:
        await self.sio.connect(url, auth=self.auth, transports=["websocket"], wait_timeout=30)


async def connect_all(url, clients, concurrency) -> tuple[int, int, float]:
    gate = asyncio.Semaphore(concurrency)
    failed = 0
    started = time.monotonic()

    async def one(client):
        nonlocal failed
        async with gate:
            for _attempt in range(3):
                try:
                    await client.connect(url)
                    return
                except (TimeoutError, socketio.exceptions.ConnectionError):
                    await asyncio.sleep(0.5)
            failed += 1

    await asyncio.gather(*(one(client) for client in clients))
    return len(clients) - failed, failed, time.monotonic() - started


async def drop_all(clients, wait_s: float = 30) -> dict:
    """Close every transport without a goodbye; time until all are connected again."""
    before = {id(c): c.connects for c in clients}
    started = time.monotonic()
    sockets = [getattr(client.sio.eio, "ws", None) for client in clients]
    await asyncio.gather(*(ws.close() for ws in sockets if ws is not None), return_exceptions=True)
    deadline = started + wait_s
    while time.monotonic() < deadline:
        back = sum(1 for c in clients if c.connects > before[id(c)] and c.sio.connected)
        if back == len(clients):
            break
        await asyncio.sleep(0.05)
    back = sum(1 for c in clients if c.connects > before[id(c)] and c.sio.connected)
    return {"event": "reconnected", "n": back, "seconds": time.monotonic() - started}


def stopped_retrying(clients) -> dict[str, int]:
    """Offline clients whose reconnect task has ended, by the exception that ended it."""
    reasons: dict[str, int] = defaultdict(int)
    for client in clients:
        task = client.sio._reconnect_task
        if client.sio.connected or task is None or not task.done():
            continue
        error = task.exception() if not task.cancelled() else None
        reasons[type(error).__name__ if error else "ended"] += 1
    return dict(reasons)


async def ping(client, count: int, every: float) -> dict:
    rtts, failures = [], 0
    for _ in range(count):
        sent = time.monotonic()
        try:
            await client.sio.call("ping", timeout=10)
            rtts.append(time.monotonic() - sent)
        except socketio.exceptions.TimeoutError:
            failures += 1
        await asyncio.sleep(max(0.0, every - (time.monotonic() - sent)))
    return {"event": "pings", "rtts": rtts, "failures": failures}


async def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    receipts: dict[int, list[float]] = defaultdict(list)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        clients = [Client(c, session, receipts) for c in spec["clients"]]
        ok, failed, seconds = await connect_all(
            spec["url"], clients, spec.get("connect_concurrency", 50)
        )
        emit({"event": "ready", "connected": ok, "failed": failed, "connect_s": seconds})
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        deadline = time.monotonic() + spec.get("deadline_s", 600)
        while time.monotonic() < deadline:
            try:
                line = await asyncio.wait_for(reader.readline(), deadline - time.monotonic())
            except TimeoutError:
                break
            words = line.decode().split()
            if not words or words[0] == "quit":
                break
            if words[0] == "report":
                emit(
                    {
                        "event": "report",
                        "connected": sum(1 for c in clients if c.sio.connected),
                        "receipts": receipts,
                        "seqs": {str(c.spec["uid"]): c.seqs for c in clients},
                        "offline": [c.spec["uid"] for c in clients if not c.sio.connected],
                        "stopped_retrying": stopped_retrying(clients),
                    }
                )
            elif words[0] == "drop":
                emit(await drop_all(clients, *(float(w) for w in words[1:2])))
            elif words[0] == "ping":
                emit(await ping(clients[0], int(words[1]), float(words[2])))
        await asyncio.wait_for(
            asyncio.gather(*(c.sio.disconnect() for c in clients), return_exceptions=True),
            DRAIN_TIMEOUT * 6,
        )


def emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
