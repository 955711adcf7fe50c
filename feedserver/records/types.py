"""The built-in record types and the fields each tracks by default."""

from feedserver.extensions import db
from feedserver.models import RecordType

DEFAULT_RECORD_TYPES = {
    "account": ("Account", ["name", "owner", "industry", "tier", "annual_revenue", "status"]),
    "opportunity": (
        "Opportunity",
        ["name", "stage", "amount", "close_date", "owner", "probability", "next_step"],
    ),
    "contact": ("Contact", ["name", "title", "email", "phone", "owner", "account"]),
    "case": ("Case", ["subject", "status", "priority", "owner", "escalated"]),
    "visit": ("Visit", ["purpose", "status", "check_in_at", "check_out_at", "outcome"]),
}


def ensure_record_types() -> None:
    """Create any missing built-in record type (idempotent; admins' edits are kept)."""
    for key, (label, tracked) in DEFAULT_RECORD_TYPES.items():
        if db.session.get(RecordType, key) is None:
            db.session.add(RecordType(key=key, label=label, tracked_fields=list(tracked)))
    db.session.flush()
