"""CSRF for browser forms and the security headers every response carries."""

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# The JSON API (bearer tokens; sessions need X-Requested-With) and signed webhooks have their
# own defences; Socket.IO never reaches Flask's views but is listed so that stays true.
CSRF_EXEMPT_PREFIXES = ("/api/", "/socket.io/")


def content_security_policy() -> str:
    """No inline scripts or styles, nothing from another origin, no framing."""
    host = request.host
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' ws://{host} wss://{host}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_security(app: Flask) -> None:
    """Check CSRF tokens on page forms and set the security headers in one after-request hook."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)

    @app.before_request
    def _check_csrf():
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.method not in app.config.get(
            "WTF_CSRF_METHODS", {"POST", "PUT", "PATCH", "DELETE"}
        ):
            return
        if request.path.startswith(CSRF_EXEMPT_PREFIXES):
            return
        csrf.protect()

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
