"""Socket.IO handlers: authenticate and join the user's room, resume, answer pings."""

from flask import current_app, request
from flask_socketio import join_room
from socketio.exceptions import ConnectionRefusedError

from feedserver.extensions import db, socketio
from feedserver.realtime.auth import connecting_user_id, last_seq_of
from feedserver.realtime.catchup import current_seq, cursor_problem
from feedserver.realtime.gates import slot
from feedserver.realtime.protocol import PING, RESUME
from feedserver.realtime.rooms import user_room
from feedserver.realtime.streams import NAMESPACE, close_stream, get_stream, open_stream


@socketio.on("connect")
def connect(auth=None):
    """Refuse anonymous or bad credentials; otherwise join the user's room and start the feed."""
    auth = auth if isinstance(auth, dict) else {}
    # A few handshakes use the database at a time; the rest wait here holding no connection.
    with slot("REALTIME_HANDSHAKE_CONCURRENCY"):
        if not _transport_open(request.sid):
            # The client gave up while it waited (and will retry): do no work for it.
            raise ConnectionRefusedError("gone")
        user_id = connecting_user_id(auth)
        try:
            last_seq = last_seq_of(auth)
        except ValueError as exc:
            raise ConnectionRefusedError(str(exc)) from exc
        problem = None
        if last_seq is not None:
            # Checked on the handshake's own connection: a storm's handshakes are its bottleneck.
            problem = cursor_problem(user_id, last_seq)
            # Hand the pooled connection back before the stream reads with one of its own: in a
            # reconnect storm, handshakes holding one while waiting for a second starve the pool.
            db.session.remove()
        # Join first, then read: anything committed after the read is pushed to the room.
        join_room(user_room(user_id))
        stream = open_stream(current_app._get_current_object(), request.sid, user_id)
        if last_seq is None:
            # Read on the token check's session: each statement sees what is committed when it
            # runs (PostgreSQL's READ COMMITTED, SQLite's autocommit reads), so after the join.
            stream.go_live(current_seq(user_id))
            db.session.remove()
        else:
            stream.resume(last_seq, problem)


def _transport_open(sid: str) -> bool:
    """Whether the connection still has its transport (a closed one's environ is gone).

    Until this handler returns the namespace is only pending, so a transport closed meanwhile
    leaves the sid mapped: the environ, dropped when Engine.IO closes, is what tells.
    """
    server = socketio.server
    eio_sid = server.manager.eio_sid_from_sid(sid, NAMESPACE)
    return eio_sid is not None and eio_sid in server.environ


@socketio.on("disconnect")
def disconnect(reason=None):
    close_stream(request.sid)


@socketio.on(RESUME)
def resume(data=None):
    """Restart the catch-up from the client's `last_seq` on this connection."""
    stream = get_stream(request.sid)
    try:
        last_seq = last_seq_of(data if isinstance(data, dict) else {})
        if last_seq is None:
            raise ValueError("last_seq is required")
    except ValueError as exc:
        return {"error": {"code": "bad_request", "status": 400, "message": str(exc)}}
    if stream is not None:
        stream.resume(last_seq)
    return {"ok": True}


@socketio.on(PING)
def ping(data=None):
    """An application-level liveness check, answered as an ack."""
    return {"pong": True}
