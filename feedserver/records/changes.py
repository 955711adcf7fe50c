"""The one internal shape of a record change, whatever system it came from."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Action = Literal["create", "update", "upsert", "delete", "undelete"]
UNSET: Any = object()  # "not mentioned by the change", as opposed to None ("cleared")


@dataclass
class RecordChange:
    """What happened to one record, with references already resolved to our ids."""

    action: Action
    record_type: str
    actor_id: int | None
    record_id: int | None = None
    source: str = "feedserver"
    external_id: str | None = None
    name: Any = UNSET
    owner_id: Any = UNSET
    account_id: Any = UNSET
    fields: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    idempotency_key: str | None = None


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}
