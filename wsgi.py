"""Entry point: monkey-patch first (eventlet/gevent), build the app, serve through Socket.IO."""

import os

_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
if _ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif _ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from feedserver import create_app  # noqa: E402
from feedserver.extensions import socketio  # noqa: E402

app = create_app()


def serve() -> None:
    """Run the Socket.IO-capable server on HOST:PORT in the configured async mode."""
    host, port = app.config["HOST"], app.config["PORT"]
    kwargs = {}
    if _ASYNC_MODE == "eventlet":
        # Eventlet's WSGI server refuses connections beyond 1,024 unless raised.
        kwargs["max_size"] = app.config["MAX_CONNECTIONS"]
    elif _ASYNC_MODE == "threading":
        kwargs["allow_unsafe_werkzeug"] = True
    print(f"Feedserver ({_ASYNC_MODE}) on http://{host}:{port}", flush=True)
    socketio.run(app, host=host, port=port, log_output=False, **kwargs)


if __name__ == "__main__":
    serve()
