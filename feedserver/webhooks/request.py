"""The raw inbound HTTP request as vendor adapters see it: no Flask, so adapters stay pure."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InboundRequest:
    """One webhook request exactly as received, for signature checks and translation."""

    method: str  # "POST"
    url: str  # the full URL the sender called, as it signed it
    headers: Mapping[
        str, str
    ]  # werkzeug Headers, or any mapping: use header() for case-insensitive lookup
    body: bytes  # raw body, exactly as received
    received_at: datetime  # aware UTC, for signature age checks

    def header(self, name: str) -> str | None:
        """Return a header's value whatever the case of its name (plain dicts included)."""
        value = self.headers.get(name)
        if value is not None:
            return value
        wanted = name.lower()
        for key, found in self.headers.items():
            if key.lower() == wanted:
                return found
        return None
