"""Wire the Integration API into the app: rate-limit storage and the outbound worker."""

from flask import Flask


def register_integrations(app: Flask) -> None:
    from feedserver.outbound.worker import start_worker
    from feedserver.webhooks.ratelimit import init_rate_limits

    init_rate_limits(app)
    start_worker(app)
