"""Refuse NUL characters in any input: PostgreSQL text cannot hold them, SQLite would keep them."""

from flask import abort, request

from feedserver.api.errors import error_response

NUL = "\x00"
MESSAGE = "NUL characters are not allowed"


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


def _offending_field() -> str | None:
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            if NUL in name or NUL in value:
                return name
    if request.is_json:
        field = _nul_path(request.get_json(silent=True), "")
        if field is not None:
            return field or "body"
    return None


def refuse_nul_characters():
    """before_request for every path: a 400 naming the parameter or field carrying a NUL."""
    field = _offending_field()
    if field is None:
        return None
    if request.path.startswith("/api/"):
        return error_response(400, MESSAGE, {field: ["contains NUL"]})
    abort(400, description=f"{MESSAGE} (in {field}).")
