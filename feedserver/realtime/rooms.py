"""Socket.IO room names: the one place that decides who a room belongs to."""

ROOM_PREFIX = "user:"


def user_room(user_id: int) -> str:
    """The room every connection of `user_id` joins; pushes for that user go here."""
    return f"{ROOM_PREFIX}{user_id}"
