"""Shared pieces of the benchmark runner: settings, server processes, statistics, machine facts."""

import contextlib
import json
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# The application under test; another checkout can be measured with the same bench code.
APP = Path(os.environ.get("BENCH_APP_ROOT", ROOT)).resolve()
# git-ignored; another folder lets two people measure side by side without sharing a store.
OUT = Path(os.environ.get("BENCH_RESULTS_DIR", BENCH / "results"))
PY = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
# Home-feed data (S4) lives in its own database so it is generated once and reused.
PG_FEED_URL = os.environ.get(
    "BENCH_FEED_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_feed"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
MODES = ("eventlet", "gevent", "threading")
# One key for the world builder and every server: integration secrets are encrypted with it.
SECRET_KEY = "bench-secret-key"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


WANTED_FDS = 65536


def raise_fd_limit() -> int:
    """Raise the soft open-files limit to the hard one (10,000 sockets need it); returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # gevent's server uses two descriptors per WebSocket: 10,000 clients need over 20,000.
    # Root may raise the hard limit too; anyone else gets their hard limit.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(hard, WANTED_FDS), max(hard, WANTED_FDS)))
        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Stats:
    """Median and p99 (nearest rank) of a sample, in the sample's unit."""

    n: int
    median: float
    p99: float

    @classmethod
    def of(cls, values) -> "Stats":
        data = sorted(values)
        if not data:
            return cls(0, float("nan"), float("nan"))
        return cls(len(data), _rank(data, 0.5), _rank(data, 0.99))


def _rank(data: list[float], q: float) -> float:
    index = max(0, min(len(data) - 1, int(round(q * len(data) + 0.5)) - 1))
    return data[index]


def ratio(ours: float, ceiling: float) -> float:
    if not ceiling or ceiling != ceiling:
        return float("nan")
    return ours / ceiling


# Every child started, so an interrupted run stops them all (by pid) on its way out.
CHILDREN: list["Process"] = []


def stop_children() -> None:
    for child in reversed(CHILDREN):
        # Stopping is best effort on the way out.
        with contextlib.suppress(Exception):
            child.stop(timeout=5)


class Process:
    """A child process (server or load generator) with its log in bench/results; stopped by pid."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str] | None = None, **kw):
        OUT.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = OUT / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(
            argv,
            cwd=APP,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **(env or {})},
            stderr=self._log,
            preexec_fn=raise_fd_limit,
            **kw,
        )
        CHILDREN.append(self)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=timeout)
        if not self._log.closed:
            self._log.close()

    def tail(self, chars: int = 3000) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]


class Server(Process):
    """`wsgi.py` (ours) or bench/bare_server.py (the ceiling) on a free 127.0.0.1 port."""

    def __init__(self, name: str, script: str, mode: str, env: dict[str, str], wait: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mode = mode
        env = {
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SOCKETIO_ASYNC_MODE": mode,
            "SECRET_KEY": SECRET_KEY,
            "OUTBOUND_WORKER_ENABLED": "0",
            # The product's own limit would throttle a benchmark's integration after 1,200/min.
            "INTEGRATION_RATE_LIMIT": "100000000/minute",
            "MAX_CONNECTIONS": "20000",
            **env,
        }
        super().__init__(name, [PY, script], env, stdout=subprocess.DEVNULL)
        self.ps = psutil.Process(self.pid)
        if wait:
            self.wait_ready()

    def wait_ready(self) -> "Server":
        """Wait until the server answers an Engine.IO handshake (servers start side by side)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            try:
                answer = requests.get(f"{self.url}/socket.io/?EIO=4&transport=polling", timeout=2)
                if answer.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not become ready:\n{self.tail()}")

    def engineio_timing(self) -> dict:
        """pingInterval and pingTimeout (ms) from the server's own Engine.IO handshake."""
        answer = requests.get(f"{self.url}/socket.io/?EIO=4&transport=polling", timeout=10)
        opened = json.loads(answer.text[answer.text.index("{") :])
        return {key: opened.get(key) for key in ("pingInterval", "pingTimeout")}

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system


def ours(name: str, mode: str, database: str, wait: bool = True, **env) -> Server:
    """Our server (wsgi.py); wait=False returns at once, call wait_ready() before use."""
    env = {"DATABASE_URL": database, **{k: str(v) for k, v in env.items()}}
    return Server(name, "wsgi.py", mode, env, wait)


def bare(name: str, mode: str, wait: bool = True, **env) -> Server:
    """The ceiling (bench/bare_server.py)."""
    return Server(
        name, str(BENCH / "bare_server.py"), mode, {k: str(v) for k, v in env.items()}, wait
    )


@dataclass
class Result:
    """One figure of the report: ours next to its ceiling or peer."""

    scenario: str
    what: str
    unit: str
    ours: Stats
    ceiling: Stats | None = None
    ceiling_name: str = ""
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    # A figure that is not a distribution (a count, a verdict), shown instead of the stats.
    figure: str = ""


def machine() -> dict:
    """Date, cores, memory, CPU model and the versions that decide the figures."""
    from importlib.metadata import version

    cpu = ""
    try:
        found = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1) if found else ""
    except OSError:
        pass
    pg = subprocess.run(
        ["psql", PG_ADMIN_URL, "-Atc", "show server_version"], capture_output=True, text=True
    ).stdout.strip()
    redis_v = subprocess.run(
        ["redis-cli", "-u", REDIS_URL, "INFO", "server"], capture_output=True, text=True
    ).stdout
    redis_found = re.search(r"redis_version:(\S+)", redis_v)
    packages = (
        "flask",
        "flask-socketio",
        "python-socketio",
        "python-engineio",
        "eventlet",
        "gevent",
        "werkzeug",
        "simple-websocket",
        "sqlalchemy",
        "psycopg2-binary",
        "redis",
        "aiohttp",
        "django",
        "django-activity-stream",
        "py-spy",
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": app_commit(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg,
        "redis": redis_found.group(1) if redis_found else "",
        "packages": {name: version(name) for name in packages},
        "load_average_at_start": os.getloadavg(),
    }


def app_commit() -> str:
    """Which code was measured: BENCH_APP_COMMIT, else the work tree's HEAD (and if it is dirty)."""
    if os.environ.get("BENCH_APP_COMMIT"):
        return os.environ["BENCH_APP_COMMIT"]
    head = subprocess.run(
        ["git", "-C", str(APP), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(APP), "status", "--porcelain", "--untracked-files=no", "feedserver"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head} (with uncommitted changes under feedserver/)" if dirty else head


def busy_processes(limit: int = 4) -> list[str]:
    """Other processes using CPU right now (what else was running during the benchmark)."""
    procs = list(psutil.process_iter(["pid", "name", "cmdline"]))
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.cpu_percent(None)
    time.sleep(0.5)
    busy = []
    for proc in procs:
        try:
            used = proc.cpu_percent(None)
        except psutil.Error:
            continue
        if used >= 5 and proc.pid != os.getpid():
            cmd = " ".join(proc.info["cmdline"] or [proc.info["name"] or "?"])[:70]
            busy.append((used, f"{used:.0f}% {cmd}"))
    return [text for _, text in sorted(busy, reverse=True)[:limit]]


def dump_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, default=str))


def start_world(name: str, spec: dict) -> tuple[Process, Path]:
    """Start bench/world.py on a fresh database in its own process; finish_world() collects it."""
    OUT.mkdir(parents=True, exist_ok=True)
    spec_path, out_path = OUT / f"{name}.world.json", OUT / f"{name}.world-out.json"
    spec_path.write_text(json.dumps(spec))
    out_path.unlink(missing_ok=True)
    proc = Process(
        f"{name}-world",
        [PY, "-m", "bench.world", str(spec_path), str(out_path)],
        stdout=subprocess.DEVNULL,
    )
    return proc, out_path


def finish_world(started: tuple[Process, Path]) -> dict:
    proc, out_path = started
    try:
        proc.popen.wait(timeout=600)
    finally:
        proc.stop()
    if not out_path.exists():
        raise RuntimeError(f"{proc.name} failed:\n{proc.tail()}")
    return json.loads(out_path.read_text())


def build_world(name: str, spec: dict) -> dict:
    """Run bench/world.py in its own process on a fresh database; returns what it made."""
    return finish_world(start_world(name, spec))


def sqlite_url(name: str) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.sqlite"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def each_mode(scenario: str, modes, measure) -> list["Result"]:
    """measure(mode) for every mode; a mode that crashes is one "failed" row, not the lot."""
    results = []
    for mode in modes:
        try:
            results += measure(mode)
        except Exception as exc:
            log(f"{scenario} {mode} failed: {exc}")
            results.append(
                Result(
                    scenario,
                    f"crashed ({mode})",
                    "",
                    Stats(0, float("nan"), float("nan")),
                    notes=[f"{mode}: {str(exc).splitlines()[0][:200]}"],
                    met=False,
                    figure="failed",
                )
            )
    return results
