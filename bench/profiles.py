"""Summarise py-spy's collapsed stacks: where a server's samples go, by function."""

import collections
import re
import signal
import subprocess
from pathlib import Path

from bench.common import OUT, PY

# A frame in py-spy's raw output: "function (path/to/file.py:line)".
FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*):(?P<line>\d+)\)$")
SITE = re.compile(r".*/site-packages/")


def record(pid: int, seconds: int, name: str) -> subprocess.Popen:
    """Start py-spy on `pid` for `seconds`; call summarise(name) after it ends."""
    py_spy = Path(PY).parent / "py-spy"
    return subprocess.Popen(
        [
            str(py_spy),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(seconds),
            "--rate",
            "200",
            "--format",
            "raw",
            "--nonblocking",
            "-o",
            str(OUT / f"{name}.pyspy.txt"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _label(frame: str) -> str:
    found = FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    path = SITE.sub("", found["file"])
    if "/feedserver/" in path:
        path = "feedserver/" + path.split("/feedserver/", 1)[1]
    return f"{found['func']} ({path})"


def merged(previous: dict, taken: dict) -> dict:
    """A re-run's profiles over the stored ones: a profile taken again replaces its old views.

    A view's title holds its sample count, so the titles are compared without it.
    """
    retaken = {_without_count(title) for title in taken}
    kept = {t: rows for t, rows in previous.items() if _without_count(t) not in retaken}
    return {**kept, **taken}


def _without_count(title: str) -> str:
    return re.sub(r" \(\d+ samples\)$", "", title)


def summarise(name: str, top: int = 15) -> dict[str, list[tuple[float, str]]]:
    """Where a recording's busy samples go: our functions (inclusive) and leaf functions (self)."""
    path = OUT / f"{name}.pyspy.txt"
    if not path.exists():
        return {}
    inclusive: collections.Counter = collections.Counter()
    leaves: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        frames = [_label(f) for f in stack.split(";") if f.strip()]
        # Idle hubs and selector waits are not work.
        if not frames or any(word in frames[-1] for word in IDLE):
            continue
        total += samples
        leaves[frames[-1]] += samples
        for label in set(frames):
            if label.startswith(OURS) or "feedserver/" in label:
                inclusive[label] += samples
    if not total:
        return {}
    return {
        f"our functions, inclusive ({total} samples)": [
            (count / total, label) for label, count in inclusive.most_common(top)
        ],
        "where the CPU is, by leaf function (self)": [
            (count / total, label) for label, count in leaves.most_common(top)
        ],
    }


IDLE = ("epoll", "select (", "wait (", "poll (", "do_poll", "_wait_for_tstate_lock", "sleep (")
OURS = ("feedserver/",)


# Set by the runner: whether scenarios profile the server while they measure it.
ENABLED = True
# Summaries taken during the current scenario: title -> [(share, function), ...].
TAKEN: dict[str, list[tuple[float, str]]] = {}


class Profile:
    """`with Profile(pid, seconds, name, title):` records py-spy around a measured phase."""

    def __init__(self, pid: int, seconds: int, name: str, title: str):
        self.pid, self.seconds, self.name, self.title = pid, seconds, name, title
        self.proc = None

    def __enter__(self):
        if ENABLED:
            self.proc = record(self.pid, self.seconds, self.name)
        return self

    def __exit__(self, *exc):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # py-spy writes what it has on Ctrl-C: end the recording with the phase.
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for view, rows in summarise(self.name).items():
            TAKEN[f"{self.title}: {view}"] = rows
