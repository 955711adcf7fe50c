"""The server process's own settings, as `python wsgi.py` applies them on start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _in_process(tmp_path, *argv, **env) -> subprocess.CompletedProcess:
    """Python with `argv` in a process of its own, configured as the server would be."""
    environment = {
        **os.environ,
        "SOCKETIO_ASYNC_MODE": "threading",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}",
        "SECRET_KEY": "test",
        **env,
    }
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _import_wsgi(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import wsgi (the app is built, the server not started); prints the collector's thresholds."""
    return _in_process(tmp_path, "-c", "import gc, wsgi; print(gc.get_threshold())", **env)


def test_the_server_sets_the_collectors_thresholds(tmp_path):
    default = _import_wsgi(tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip().splitlines()[-1] == "(50000, 20, 10)"

    chosen = _import_wsgi(tmp_path, GC_THRESHOLDS="700,10,10")
    assert chosen.stdout.strip().splitlines()[-1] == "(700, 10, 10)"

    bad = _import_wsgi(tmp_path, GC_THRESHOLDS="lots")
    assert bad.returncode != 0
    assert "GC_THRESHOLDS must be three non-negative integers like 50000,20,10" in bad.stderr


def test_a_serving_app_leaves_out_migrations_which_the_flask_command_has(tmp_path):
    alone = _in_process(
        tmp_path,
        "-c",
        "import sys\n"
        "from feedserver import create_app\n"
        "create_app(with_migrations=False)\n"
        "print(sorted(m for m in ('alembic', 'flask_migrate', 'mako') if m in sys.modules))",
    )
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.strip() == "[]"

    command = _in_process(tmp_path, "-m", "flask", "db", "current", FLASK_APP="wsgi:app")
    assert command.returncode == 0, command.stderr
