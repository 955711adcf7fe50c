"""Flask-Login wiring: load a user from the session or from a Bearer token."""

from flask import Request

from feedserver.auth.tokens import bearer_token, user_for_token
from feedserver.extensions import db, login_manager
from feedserver.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_request(request: Request) -> User | None:
    token = bearer_token(request.headers.get("Authorization"))
    return user_for_token(token) if token else None
