"""The ceiling: a bare Flask-SocketIO server in the same async mode, with nothing of ours in it.

Clients join room `user:<uid>` from their `auth` payload (no database); POST /emit sends one
emit of the given data to the given users' rooms, exactly the framework's own cost of a push.
Engine.IO's ping timings are the library defaults (every 25 s, 20 s timeout), as ours uses;
SOCKETIO_PING_INTERVAL / SOCKETIO_PING_TIMEOUT (seconds) set others. S3 reads both servers'
timings from their handshakes and prints them next to the idle CPU. It listens as ours does
(the same backlog, the same eventlet connection cap).
"""

import os

MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import signal  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402
from socketio.exceptions import ConnectionRefusedError  # noqa: E402

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "bench")
timings = {
    name: float(os.environ[variable])
    for name, variable in (
        ("ping_interval", "SOCKETIO_PING_INTERVAL"),
        ("ping_timeout", "SOCKETIO_PING_TIMEOUT"),
    )
    if os.environ.get(variable)
}
socketio = SocketIO(app, async_mode=MODE, **timings)


@socketio.on("connect")
def connect(auth=None):
    """Accept a client that sends a token, in its user's room (the same shape as ours)."""
    if not isinstance(auth, dict) or not auth.get("token") or "uid" not in auth:
        raise ConnectionRefusedError("authentication required")
    join_room(f"user:{int(auth['uid'])}")


@socketio.on("ping")
def ping(data=None):
    return {"pong": True}


@app.post("/emit")
def emit():
    """One emit of `data` to the rooms of `users` (the framework's own push)."""
    body = request.get_json()
    socketio.emit(body["event"], body["data"], to=[f"user:{uid}" for uid in body["users"]])
    return {"ok": True}, 202


def _stop(signum, frame):
    os._exit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])
    # The same listener as ours (feedserver.realtime.serving): backlog from LISTEN_BACKLOG.
    backlog = int(os.environ.get("LISTEN_BACKLOG", "4096"))
    if MODE == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(
            eventlet.listen((host, port), backlog=backlog),
            app,
            log_output=False,
            max_size=int(os.environ.get("MAX_CONNECTIONS", "20000")),
        )
    else:
        options = {"backlog": backlog} if MODE == "gevent" else {"allow_unsafe_werkzeug": True}
        socketio.run(app, host=host, port=port, log_output=False, **options)
