"""The runner's side of the load generators: socket client processes and POST senders."""

import contextlib
import json
import queue
import subprocess
import threading
import time
from pathlib import Path

from bench.common import BENCH, OUT, PY, Process, log

# Clients per load-generator process; several processes spread them over both cores.
PER_PROCESS = 1250


class SocketFleet:
    """Real Socket.IO clients spread over a few processes, all commanded together."""

    def __init__(self, name: str, url: str, clients: list[dict], processes: int | None = None):
        processes = processes or max(1, -(-len(clients) // PER_PROCESS))
        self.members: list[tuple[Process, queue.Queue]] = []
        for index in range(processes):
            part = clients[index::processes]
            spec_path = OUT / f"{name}-{index}.json"
            spec_path.write_text(
                json.dumps(
                    {"url": url, "clients": part, "connect_concurrency": 50, "deadline_s": 900}
                )
            )
            proc = Process(
                f"{name}-{index}",
                [PY, str(BENCH / "load" / "sockets.py"), str(spec_path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            lines: queue.Queue = queue.Queue()
            threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
            self.members.append((proc, lines))

    def wait_ready(self, timeout: float = 240) -> tuple[int, int, float]:
        answers = self._collect("ready", timeout)
        connected = sum(a["connected"] for a in answers)
        failed = sum(a["failed"] for a in answers)
        return connected, failed, max(a["connect_s"] for a in answers)

    def command(self, line: str, expect: str, timeout: float = 120) -> list[dict]:
        for proc, _ in self.members:
            proc.popen.stdin.write((line + "\n").encode())
            proc.popen.stdin.flush()
        return self._collect(expect, timeout)

    def first(self, line: str, expect: str, timeout: float = 120) -> dict:
        proc, lines = self.members[0]
        proc.popen.stdin.write((line + "\n").encode())
        proc.popen.stdin.flush()
        return _next(proc, lines, expect, time.monotonic() + timeout)

    def report(self) -> tuple[dict[int, list[float]], dict[str, list[int]], int]:
        receipts: dict[int, list[float]] = {}
        seqs: dict[str, list[int]] = {}
        connected = 0
        self.offline: set[int] = set()
        self.stopped_retrying: dict[str, int] = {}
        for answer in self.command("report", "report"):
            self.offline.update(answer.get("offline", []))
            for reason, count in answer.get("stopped_retrying", {}).items():
                self.stopped_retrying[reason] = self.stopped_retrying.get(reason, 0) + count
            for marker, times in answer["receipts"].items():
                receipts.setdefault(int(marker), []).extend(times)
            seqs.update(answer["seqs"])
            connected += answer["connected"]
        return receipts, seqs, connected

    def _collect(self, expect: str, timeout: float) -> list[dict]:
        deadline = time.monotonic() + timeout
        return [_next(proc, lines, expect, deadline) for proc, lines in self.members]

    def stop(self) -> None:
        for proc, _ in self.members:
            if proc.alive():
                try:
                    proc.popen.stdin.write(b"quit\n")
                    proc.popen.stdin.flush()
                except (BrokenPipeError, OSError):
                    pass
        deadline = time.monotonic() + 30
        for proc, _ in self.members:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            proc.stop()


def _pump(proc: Process, lines: queue.Queue) -> None:
    for raw in proc.popen.stdout:
        try:
            lines.put(json.loads(raw))
        except ValueError:
            continue
    lines.put(None)


def _next(proc: Process, lines: queue.Queue, expect: str, deadline: float) -> dict:
    while True:
        try:
            message = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"{proc.name}: no {expect!r} in time:\n{proc.tail()}") from None
        if message is None:
            raise RuntimeError(f"{proc.name} exited:\n{proc.tail()}")
        if message.get("event") == expect:
            return message


def post(name: str, spec: dict, timeout: float = 330) -> dict:
    """Run the POST load generator to completion in its own process; returns its results."""
    out_path = OUT / f"{name}.result.json"
    spec_path = OUT / f"{name}.spec.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out_path)}))
    proc = Process(
        name, [PY, str(BENCH / "load" / "post.py"), str(spec_path)], stdout=subprocess.DEVNULL
    )
    try:
        proc.popen.wait(timeout=timeout)
    finally:
        proc.stop()
    if not Path(out_path).exists():
        raise RuntimeError(f"{name} wrote no results:\n{proc.tail()}")
    result = json.loads(Path(out_path).read_text())
    bad = [row for row in result["sent"] if not 200 <= row[3] < 300]
    if bad:
        log(f"{name}: {len(bad)} of {len(result['sent'])} requests failed (status {bad[0][3]})")
    return result


def start_post(name: str, spec: dict) -> tuple[Process, Path]:
    """Start the POST load generator without waiting; finish_post() collects it."""
    out_path = OUT / f"{name}.result.json"
    out_path.unlink(missing_ok=True)
    spec_path = OUT / f"{name}.spec.json"
    spec_path.write_text(json.dumps({**spec, "out": str(out_path)}))
    proc = Process(
        name, [PY, str(BENCH / "load" / "post.py"), str(spec_path)], stdout=subprocess.DEVNULL
    )
    return proc, out_path


def finish_post(started: tuple[Process, Path], timeout: float = 330) -> dict:
    proc, out_path = started
    try:
        proc.popen.wait(timeout=timeout)
    finally:
        proc.stop()
    if not out_path.exists():
        raise RuntimeError(f"{proc.name} wrote no results:\n{proc.tail()}")
    return json.loads(out_path.read_text())
