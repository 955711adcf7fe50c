"""Fixtures for conversation tests: the live events a request queued for after commit."""

import pytest

from feedserver.feed import events


@pytest.fixture
def live_events(monkeypatch):
    """Every (name, payload, user_ids) queued through feed.events.queue_event, in order."""
    seen: list[tuple[str, dict, set[int]]] = []
    original = events.queue_event

    def recording(name, payload, user_ids):
        user_ids = set(user_ids)
        seen.append((name, payload, user_ids))
        original(name, payload, user_ids)

    monkeypatch.setattr(events, "queue_event", recording)
    return seen


def named(events_seen, name):
    return [(payload, users) for event, payload, users in events_seen if event == name]
