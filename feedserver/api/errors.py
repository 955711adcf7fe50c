"""One JSON error shape for every API answer that is not a success."""

import marshmallow as ma
from flask import jsonify
from werkzeug.exceptions import HTTPException

# Short machine-readable codes for the statuses the API uses.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Machine-readable code"})
    status = ma.fields.Integer(required=True)
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Per-field messages, for invalid input"},
    )


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema, required=True)


def error_body(status: int, message: str, fields: dict | None = None, code: str | None = None):
    detail = {
        "code": code or ERROR_CODES.get(status, "error"),
        "status": status,
        "message": message,
    }
    if fields:
        detail["fields"] = fields
    return {"error": detail}


def error_response(status: int, message: str, fields: dict | None = None, headers=None):
    response = jsonify(error_body(status, message, fields))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_field_errors(messages: dict) -> dict:
    """webargs nests errors by location ({"json": {...}}); callers want them by field."""
    flat: dict = {}
    for location, errors in messages.items():
        if isinstance(errors, dict) and location in (
            "json",
            "query",
            "view_args",
            "form",
            "headers",
        ):
            flat.update(errors)
        else:
            flat[location] = errors
    return flat


def http_error_response(error: HTTPException):
    """Render any HTTPException (including webargs' 422s) in the one error shape."""
    data = getattr(error, "data", None) or {}
    fields = None
    if "errors" in data:
        fields = data["errors"]
    elif "messages" in data:
        fields = flatten_field_errors(data["messages"])
    message = data.get("message") or error.description or error.name
    if error.code == 422 and fields and message == error.description:
        message = "invalid input: " + ", ".join(sorted(str(k) for k in fields))
    headers = dict(data.get("headers") or {})
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code or 500, message, fields, headers)
