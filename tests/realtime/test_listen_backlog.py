"""The server listens with LISTEN_BACKLOG, so a reconnect storm's connection attempts are queued."""

import shutil
import subprocess

import pytest

from tests.conftest import require_service

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_pass]


def listen_backlog(port: int) -> int:
    """The kernel's accept-queue limit of the socket listening on `port` (ss shows it as Send-Q)."""
    out = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[2])


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_listener_queues_as_many_connection_attempts_as_configured(
    served_db, start_server, mode
):
    require_service(shutil.which("ss") is not None, "ss (iproute2)")
    server = start_server(served_db.url, mode=mode, LISTEN_BACKLOG=777)
    assert listen_backlog(server.port) == 777


def test_eventlet_listens_with_a_backlog_for_thousands_by_default(served_db, start_server):
    require_service(shutil.which("ss") is not None, "ss (iproute2)")
    server = start_server(served_db.url, mode="eventlet")
    # 4,096 unless the kernel caps it lower; eventlet's own default was 50.
    with open("/proc/sys/net/core/somaxconn") as limit:
        assert listen_backlog(server.port) == min(4096, int(limit.read()))
