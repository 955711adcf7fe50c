"""Create and change outbound subscriptions; each gets its own signing secret, shown once."""

from flask import current_app

from feedserver.extensions import db
from feedserver.integrations.secrets import new_signing_secret
from feedserver.models import Subscription
from feedserver.outbound.events import EVENT_TYPES
from feedserver.outbound.ssrf import UnsafeUrl, check_url


class SubscriptionError(ValueError):
    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def check_target(url: str) -> None:
    """Refuse at once a URL the worker would refuse (loopback, private, unresolvable)."""
    config = current_app.config
    try:
        check_url(url, config["OUTBOUND_ALLOW_HOSTS"], config["OUTBOUND_ALLOW_PRIVATE"])
    except UnsafeUrl as exc:
        raise SubscriptionError(str(exc), "url") from None


def check_event_types(event_types: list[str]) -> list[str]:
    unknown = [t for t in event_types if t != "*" and t not in EVENT_TYPES]
    if unknown:
        raise SubscriptionError(
            f"unknown event type {unknown[0]!r}; known: *, {', '.join(EVENT_TYPES)}",
            "event_types",
        )
    if not event_types:
        raise SubscriptionError("name at least one event type (or *)", "event_types")
    return list(dict.fromkeys(event_types))


def create_subscription(
    url: str,
    event_types: list[str],
    *,
    record_types: list[str] | None = None,
    description: str | None = None,
    created_by_id: int | None = None,
    integration_id: int | None = None,
) -> tuple[Subscription, str]:
    """A new active subscription and its signing secret (returned here only)."""
    check_target(url)
    subscription = Subscription(
        url=url,
        event_types=check_event_types(event_types),
        record_types=list(dict.fromkeys(record_types or [])),
        description=description,
        secret=new_signing_secret(),
        created_by_id=created_by_id,
        integration_id=integration_id,
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription, subscription.secret


def update_subscription(subscription: Subscription, changes: dict) -> None:
    """Change URL, types or filter; re-enabling clears the failure count."""
    if "url" in changes:
        check_target(changes["url"])
        subscription.url = changes["url"]
    if "event_types" in changes:
        subscription.event_types = check_event_types(changes["event_types"])
    if "record_types" in changes:
        subscription.record_types = list(dict.fromkeys(changes["record_types"] or []))
    if "description" in changes:
        subscription.description = changes["description"]
    if "active" in changes:
        subscription.active = changes["active"]
        if changes["active"]:
            subscription.disabled_reason = None
            subscription.consecutive_failures = 0
        else:
            subscription.disabled_reason = "disabled through the API"
