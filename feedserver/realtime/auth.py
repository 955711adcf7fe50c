"""Who is connecting: the Flask-Login session cookie, or an API token in the `auth` payload."""

from flask_login import current_user
from socketio.exceptions import ConnectionRefusedError

from feedserver.auth.tokens import user_for_token
from feedserver.models import User


def connecting_user(auth: dict) -> User:
    """The active user behind this handshake; raises ConnectionRefusedError otherwise."""
    token = auth.get("token")
    if token is not None:
        user = user_for_token(token) if isinstance(token, str) and token else None
        if user is None:
            raise ConnectionRefusedError("invalid credentials")
        return user
    if current_user.is_authenticated:
        return current_user._get_current_object()
    raise ConnectionRefusedError("authentication required")


def last_seq_of(data: dict) -> int | None:
    """The client's resume cursor, if it sent one; raises ValueError for a malformed one."""
    if "last_seq" not in data or data["last_seq"] is None:
        return None
    value = data["last_seq"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("last_seq must be a non-negative integer")
    return value
