"""What an outbound webhook says about a feed item: its event type and JSON payload."""

from typing import Any

from feedserver.extensions import db
from feedserver.models import FeedItem, Record, User

EVENT_TYPES = (
    "record.created",
    "record.updated",
    "record.deleted",
    "record.undeleted",
    "post.created",
    "visit.logged",
)
_BY_VERB = {
    "create": "record.created",
    "update": "record.updated",
    "delete": "record.deleted",
    "undelete": "record.undeleted",
    "post": "post.created",
}


def event_type(item: FeedItem) -> str:
    """The event type of an item; verbs other features add become "item.<verb>"."""
    if item.verb == "create" and item.record_type == "visit":
        return "visit.logged"
    return _BY_VERB.get(item.verb, f"item.{item.verb}")


def _ref(kind: str | None, ref_id: int | None) -> dict[str, Any] | None:
    if kind == "record" and ref_id is not None:
        record = db.session.get(Record, ref_id)
        if record is not None:
            return {
                "kind": "record",
                "id": record.id,
                "type": record.type_key,
                "name": record.name,
                "source": record.source,
                "external_id": record.external_id,
            }
    if kind == "user" and ref_id is not None:
        user = db.session.get(User, ref_id)
        if user is not None:
            return {"kind": "user", "id": user.id, "name": user.name, "email": user.email}
    return None if kind is None else {"kind": kind, "id": ref_id}


def payload(item: FeedItem) -> dict[str, Any]:
    """The Standard Webhooks-style body: {"type", "timestamp", "data"}."""
    return {
        "type": event_type(item),
        "timestamp": item.published.isoformat(),
        "data": {
            "item_id": item.id,
            "verb": item.verb,
            "actor": _ref("user", item.actor_id),
            "object": _ref(item.object_kind, item.object_id),
            "target": _ref(item.target_kind, item.target_id),
            "record_type": item.record_type,
            "changes": item.changes or [],
            "body": item.body,
            "source": item.source,
        },
    }
