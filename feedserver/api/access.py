"""Who may call the API: bearer token or session, with CSRF defence for sessions."""

from flask import abort, request
from flask_login import current_user

from feedserver.models import User

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def require_user() -> None:
    """Answer 401 unless the caller is signed in; blueprints run it before every view."""
    if not current_user.is_authenticated:
        abort(401, description="sign in, or send Authorization: Bearer <token>")
    # A cookie rides along on cross-site requests; a custom header cannot be sent
    # cross-site without CORS consent, so session callers must add it to change things.
    if (
        request.method in UNSAFE_METHODS
        and "Authorization" not in request.headers
        and request.headers.get("X-Requested-With") is None
    ):
        abort(403, description="session requests that change data need X-Requested-With")


def require_admin(user: User) -> None:
    if not user.is_admin:
        abort(403, description="only an administrator may do this")


def protect(blueprint) -> None:
    blueprint.before_request(require_user)
