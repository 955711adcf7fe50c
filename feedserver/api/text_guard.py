"""Refuse NUL characters in API input: PostgreSQL text cannot hold them, SQLite would keep them."""

from flask import request

from feedserver.api.errors import error_response

NUL = "\x00"


def _nul_path(value, path: str) -> str | None:
    """The JSON path of the first string (or key) holding a NUL, if any."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, inner in value.items():
            here = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return here
            if found := _nul_path(inner, here):
                return found
    if isinstance(value, list):
        for index, inner in enumerate(value):
            if found := _nul_path(inner, f"{path}[{index}]"):
                return found
    return None


def refuse_nul_characters():
    """before_request for /api/: a 400 naming the parameter or field that carries a NUL."""
    if not request.path.startswith("/api/"):
        return None
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            return error_response(400, "NUL characters are not allowed", {name: ["contains NUL"]})
    if request.is_json:
        field = _nul_path(request.get_json(silent=True), "")
        if field is not None:
            return error_response(
                400, "NUL characters are not allowed", {field or "body": ["contains NUL"]}
            )
    return None
