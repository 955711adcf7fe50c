"""How wsgi.py runs the server: per-async-mode options and the SIGTERM shutdown."""

import os
import sys

from flask import Flask


def run_options(app: Flask, async_mode: str) -> dict:
    """Keyword arguments for socketio.run() in this async mode."""
    if async_mode == "eventlet":
        # Eventlet's WSGI server refuses connections beyond 1,024 unless raised.
        return {"max_size": app.config["MAX_CONNECTIONS"]}
    if async_mode == "threading":
        return {"allow_unsafe_werkzeug": True}
    return {}


def stop_on_sigterm(signum, frame) -> None:
    """Exit at once: sockets drop at the transport level, so clients reconnect and resume.

    A Socket.IO DISCONNECT would tell clients "you were kicked out" and they would not
    reconnect; a dropped transport makes them reconnect (to another process behind the proxy)
    and resume from their last seq. Open transactions roll back with their connections, so
    nothing is half-written; everything committed is already in the database.
    """
    print("Feedserver stopping (SIGTERM)", file=sys.stderr, flush=True)
    os._exit(0)
