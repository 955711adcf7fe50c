"""Vendor payload fixtures and InboundRequest builders for the adapter tests."""

from datetime import UTC, datetime
from pathlib import Path

from feedserver.webhooks.request import InboundRequest

FIXTURES = Path(__file__).parents[2] / "fixtures" / "vendors"
RECEIVED_AT = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


def payload(name: str) -> bytes:
    """Return a fixture file's bytes exactly as a vendor would send them."""
    return (FIXTURES / name).read_bytes()


def inbound(
    body: bytes | str,
    headers: dict[str, str] | None = None,
    url: str = "https://feeds.example.com/api/v1/webhooks/vendor",
    method: str = "POST",
    received_at: datetime = RECEIVED_AT,
) -> InboundRequest:
    """Build the request an adapter sees."""
    raw = body.encode() if isinstance(body, str) else body
    return InboundRequest(method, url, headers or {}, raw, received_at)


def at(text: str) -> datetime:
    """Parse an ISO timestamp into an aware UTC datetime, for expected values."""
    return datetime.fromisoformat(text).astimezone(UTC)
