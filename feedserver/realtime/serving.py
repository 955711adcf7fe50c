"""How wsgi.py runs the server: per-async-mode options and the SIGTERM shutdown."""

import os
import sys

from flask import Flask


def run_options(app: Flask, async_mode: str) -> dict:
    """Keyword arguments for socketio.run() in this async mode."""
    if async_mode == "eventlet":
        # Eventlet's WSGI server refuses connections beyond 1,024 unless raised.
        return {"max_size": app.config["MAX_CONNECTIONS"]}
    if async_mode == "gevent":
        return {"backlog": app.config["LISTEN_BACKLOG"]}
    if async_mode == "threading":
        return {"allow_unsafe_werkzeug": True}
    return {}


def serve_forever(app: Flask, socketio, host: str, port: int, async_mode: str) -> None:
    """Serve the app until the process ends: socketio.run, but with LISTEN_BACKLOG for eventlet.

    Flask-SocketIO opens eventlet's listener with eventlet's default backlog of 50: when a few
    thousand clients reconnect at once (a restart, a network blip), the kernel drops the rest of
    their connection attempts and each retries seconds later, so a storm takes minutes to clear.
    """
    options = run_options(app, async_mode)
    if async_mode != "eventlet":
        socketio.run(app, host=host, port=port, log_output=False, **options)
        return
    import eventlet  # only in eventlet mode, which wsgi.py has already patched for
    import eventlet.wsgi

    listener = eventlet.listen((host, port), backlog=app.config["LISTEN_BACKLOG"])
    # Flask-SocketIO has wrapped app.wsgi_app with the Engine.IO middleware already.
    eventlet.wsgi.server(listener, app, log_output=False, **options)


def stop_on_sigterm(signum, frame) -> None:
    """Exit at once: sockets drop at the transport level, so clients reconnect and resume.

    A Socket.IO DISCONNECT would tell clients "you were kicked out" and they would not
    reconnect; a dropped transport makes them reconnect (to another process behind the proxy)
    and resume from their last seq. Open transactions roll back with their connections, so
    nothing is half-written; everything committed is already in the database.
    """
    print("Feedserver stopping (SIGTERM)", file=sys.stderr, flush=True)
    os._exit(0)
