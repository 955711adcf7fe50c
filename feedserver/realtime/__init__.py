"""Live delivery over Socket.IO: after commit, ring each recipient's room."""

from flask import Flask

from feedserver.extensions import socketio


def register_realtime(app: Flask) -> None:
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config["SOCKETIO_CORS_ORIGINS"] or None,
    )
