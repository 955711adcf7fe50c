"""Live delivery over Socket.IO: after commit, ring each recipient's room."""

from flask import Flask

from feedserver.extensions import socketio
from feedserver.realtime.encoding import FeedPacket
from feedserver.realtime.manager import client_manager


def register_realtime(app: Flask) -> None:
    """Bind Socket.IO with the feed's client manager, its handlers and the after-commit push."""
    from feedserver.realtime import handlers  # noqa: F401  (registers the socket handlers)
    from feedserver.realtime.push import install_push_listeners

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        client_manager=client_manager(
            app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]
        ),
        # Packets whose pre-encoded feed items are written verbatim (realtime.encoding).
        serializer=FeedPacket,
        # None makes Engine.IO accept only the server's own origin.
        cors_allowed_origins=app.config["SOCKETIO_CORS_ORIGINS"] or None,
    )
    install_push_listeners()
    if app.config.get("REALTIME_DEBUG_ROUTES"):
        from feedserver.realtime.debug import debug_bp

        app.register_blueprint(debug_bp)
