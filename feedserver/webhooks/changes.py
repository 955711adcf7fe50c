"""The one vendor-neutral shape every inbound adapter produces.

Adapters (our own format, Salesforce, HubSpot, Pipedrive) turn a request body into a list of
InboundChange; the pipeline resolves people by email and records by external id, and applies
them. Nothing past the adapters ever sees vendor JSON.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from feedserver.records.changes import UNSET

Kind = Literal[
    "record.created",
    "record.updated",
    "record.deleted",
    "record.undeleted",
    "post.created",
    "visit.logged",
    "gap",  # the vendor says events were lost (Salesforce GAP_*): recorded, not applied
]


@dataclass
class InboundChange:
    """One thing another system says happened, in our vocabulary."""

    kind: Kind
    # Our record type ("opportunity", "account", ...), already mapped from the vendor's object.
    record_type: str | None
    # The vendor's id for the record (with `source` this finds our record).
    external_id: str | None
    # Unique per event within the source, for deduplication (vendor event id or derived).
    dedupe_key: str
    name: Any = UNSET
    owner_email: Any = UNSET  # a person resolved by email; None clears the owner
    account_external_id: Any = UNSET
    # Our field names → new values; only fields the event mentions.
    fields: dict[str, Any] = field(default_factory=dict)
    actor_email: str | None = None
    occurred_at: datetime | None = None
    body: str | None = None  # post text, visit notes
    # Extra structured data for posts and visits (contacts met, purpose, place, ...).
    extra: dict[str, Any] = field(default_factory=dict)
    # Why an event could not be translated fully (kept with the stored event for admins).
    warnings: list[str] = field(default_factory=list)


class InboundError(ValueError):
    """A request an adapter refuses: `status` is the HTTP answer (400, 401, 413, 422)."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
