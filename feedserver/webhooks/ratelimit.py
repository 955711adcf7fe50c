"""Per-integration request limits, counted in Flask-Limiter's storage (memory or Redis)."""

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from limits import parse

from feedserver.models import Integration
from feedserver.webhooks.changes import InboundError

# No default limits: only the webhook endpoints are limited, per integration, after auth.
limiter = Limiter(key_func=lambda: "unused", default_limits=[])


class RateLimited(InboundError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message, 429)
        self.retry_after = retry_after


def init_rate_limits(app: Flask) -> None:
    limiter.init_app(app)


def enforce_rate_limit(integration: Integration) -> None:
    """Count one request for the integration; RateLimited (429) once over its limit."""
    spec = integration.rate_limit or current_app.config["INTEGRATION_RATE_LIMIT"]
    enforce_limit("integration", str(integration.id), spec, "this integration")


def enforce_limit(scope: str, key: str, spec: str, who: str) -> None:
    """Count one request for `key` in `scope`; RateLimited (429) once over `spec`."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = parse(spec)
    if limiter.limiter.hit(item, scope, key):
        return
    reset_at = limiter.limiter.get_window_stats(item, scope, key).reset_time
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise RateLimited(f"rate limit {spec} exceeded for {who}", retry_after)
