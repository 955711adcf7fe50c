"""Who is connecting: the Flask-Login session cookie, or an API token in the `auth` payload."""

from flask_login import current_user
from socketio.exceptions import ConnectionRefusedError

from feedserver.auth.tokens import user_id_for_token


def connecting_user_id(auth: dict) -> int:
    """The id of the active user behind this handshake; raises ConnectionRefusedError otherwise."""
    token = auth.get("token")
    if token is not None:
        user_id = user_id_for_token(token) if isinstance(token, str) and token else None
        if user_id is None:
            raise ConnectionRefusedError("invalid credentials")
        return user_id
    if current_user.is_authenticated:
        return current_user.id
    raise ConnectionRefusedError("authentication required")


def last_seq_of(data: dict) -> int | None:
    """The client's resume cursor, if it sent one; raises ValueError for a malformed one."""
    if "last_seq" not in data or data["last_seq"] is None:
        return None
    value = data["last_seq"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("last_seq must be a non-negative integer")
    return value
