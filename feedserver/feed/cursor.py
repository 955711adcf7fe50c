"""Opaque pagination cursors: clients pass them back, never build them."""

import base64
import json


class CursorError(ValueError):
    pass


def encode_cursor(position: int) -> str:
    raw = json.dumps({"p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))["p"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CursorError("cursor is not one this server issued") from exc
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise CursorError("cursor is not one this server issued")
    return position
