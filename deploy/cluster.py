"""Run N Feedserver processes behind nginx with sticky sessions, restarting any that exits.

    DATABASE_URL=postgresql://... SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 \
        python deploy/cluster.py --processes 4 --port 8080

The processes share PostgreSQL and Redis (the Socket.IO message queue); nginx (a non-daemon
child with its own prefix under --workdir) balances them. SIGTERM or Ctrl-C stops everything.
`<workdir>/backends.json` lists the running processes (port, pid) for operators and tests.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render_nginx_config(workdir: Path, listen: str, backend_ports: list[int]) -> Path:
    """Write workdir/nginx.conf for these backends; returns its path."""
    for name in TEMP_DIRS:
        (workdir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    # max_fails=0: never mark a backend down; a refused connection (a process stopping or
    # restarting) just moves that request to the next one, and a restarted one is used at once.
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in backend_ports)
    text = (
        TEMPLATE.read_text()
        .replace("{{workdir}}", str(workdir))
        .replace("{{listen}}", listen)
        .replace("{{servers}}", servers)
    )
    path = workdir / "nginx.conf"
    path.write_text(text)
    return path


class Cluster:
    """The backend processes and nginx, supervised."""

    def __init__(self, args):
        self.args = args
        self.workdir = Path(args.workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.ports = [args.backend_port + n for n in range(args.processes)]
        self.backends: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.stopping = False

    def start_backend(self, port: int) -> None:
        env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1"}
        log = open(self.workdir / f"backend-{port}.log", "ab")  # noqa: SIM115 (child keeps it)
        self.backends[port] = subprocess.Popen(
            [sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        self.write_state()

    def write_state(self) -> None:
        state = [{"port": port, "pid": proc.pid} for port, proc in self.backends.items()]
        tmp = self.workdir / "backends.json.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.workdir / "backends.json")

    def start(self) -> None:
        for port in self.ports:
            self.start_backend(port)
        config = render_nginx_config(self.workdir, f"{self.args.host}:{self.args.port}", self.ports)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [
                nginx,
                "-p",
                str(self.workdir),
                "-c",
                str(config),
                "-e",
                str(self.workdir / "error.log"),
            ]
        )
        print(f"nginx on http://{self.args.host}:{self.args.port} → {self.ports}", flush=True)

    def supervise(self) -> int:
        while not self.stopping:
            if self.nginx.poll() is not None:
                print("nginx exited; stopping", file=sys.stderr, flush=True)
                self.stop()
                return 1
            for port, proc in list(self.backends.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"backend {port} exited ({proc.returncode}); restarting", flush=True)
                    self.start_backend(port)
            time.sleep(0.2)
        return 0

    def stop(self, *_) -> None:
        self.stopping = True
        for proc in self.backends.values():
            if proc.poll() is None:
                proc.terminate()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish open requests
        for proc in [*self.backends.values(), self.nginx]:
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens")
    parser.add_argument("--backend-port", type=int, default=5001, help="first backend port")
    parser.add_argument("--workdir", default=str(ROOT / "instance" / "cluster"))
    args = parser.parse_args()
    if args.processes > 1 and not os.environ.get("SOCKETIO_MESSAGE_QUEUE"):
        parser.error("several processes need SOCKETIO_MESSAGE_QUEUE (redis://...) to share rooms")
    cluster = Cluster(args)
    signal.signal(signal.SIGTERM, cluster.stop)
    signal.signal(signal.SIGINT, cluster.stop)
    cluster.start()
    return cluster.supervise()


if __name__ == "__main__":
    sys.exit(main())
