"""Live events waiting for their transaction to commit; realtime emits them afterwards.

Services never emit: they queue here, and the after-commit hook in feedserver.realtime
sends them, so nothing is ever pushed that the database does not hold.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from feedserver.extensions import db

PENDING_EVENTS = "feed_pending_events"


@dataclass
class PendingEvent:
    """A socket event for some users' rooms, e.g. ("item_updated", {...}, [3, 7])."""

    name: str
    payload: dict[str, Any]
    user_ids: frozenset[int]


def queue_event(name: str, payload: dict[str, Any], user_ids: Iterable[int]) -> None:
    """Push `name` with `payload` to these users once the current transaction commits."""
    recipients = frozenset(user_ids)
    if recipients:
        db.session.info.setdefault(PENDING_EVENTS, []).append(
            PendingEvent(name, payload, recipients)
        )


def take_pending_events(session) -> list[PendingEvent]:
    """Remove and return the events a just-committed transaction produced."""
    return session.info.pop(PENDING_EVENTS, [])
