"""Serve the peer on HOST:PORT with Werkzeug's threaded WSGI server (like our threading mode)."""

import os
import signal

import django
from werkzeug.serving import run_simple

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402


def _stop(signum, frame):
    os._exit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    run_simple(
        os.environ.get("HOST", "127.0.0.1"),
        int(os.environ["PORT"]),
        get_wsgi_application(),
        threaded=True,
    )
