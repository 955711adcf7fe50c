"""Entry point: monkey-patch first (eventlet/gevent), build the app, serve through Socket.IO."""

import os

_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
if _ASYNC_MODE == "eventlet":
    import warnings

    # Eventlet is the product's specified default (docs/deploy.md weighs the async modes);
    # its import-time deprecation banner would greet every start, so it is silenced here.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    # psycopg2 is a C extension that blocks the whole process unless told to yield.
    from psycogreen.eventlet import patch_psycopg

    patch_psycopg()
elif _ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()

import gc  # noqa: E402
import signal  # noqa: E402

from feedserver import create_app  # noqa: E402
from feedserver.extensions import socketio  # noqa: E402
from feedserver.feed.fanout_jobs import drain_in_background  # noqa: E402
from feedserver.realtime.serving import serve_forever, stop_on_sigterm  # noqa: E402
from feedserver.webhooks.queued import drain_soon  # noqa: E402

# Run as a server, the app leaves out `flask db`; imported by the `flask` command, it has it.
app = create_app(with_migrations=__name__ != "__main__")
# The app's own objects (models, schemas, compiled statements) live as long as the process:
# move them out of the collector's reach, so its full passes walk only what requests made.
gc.freeze()
gc.set_threshold(*app.config["GC_THRESHOLDS"])


def serve() -> None:
    """Run the Socket.IO-capable server on HOST:PORT in the configured async mode."""
    host, port = app.config["HOST"], app.config["PORT"]
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    print(f"Feedserver ({_ASYNC_MODE}) on http://{host}:{port}", flush=True)
    # Finish any large fan-out, and apply any queued webhook event, a previous run left undone.
    socketio.start_background_task(drain_in_background, app)
    if app.config["WEBHOOK_QUEUE_BACKGROUND"]:
        drain_soon(app)
    serve_forever(app, socketio, host, port, _ASYNC_MODE)


if __name__ == "__main__":
    serve()
