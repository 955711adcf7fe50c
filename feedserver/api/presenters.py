"""Turn feed items into the JSON the API returns and live pushes carry (one shape for both)."""

from collections.abc import Iterable

import sqlalchemy as sa

from feedserver.api.schemas.feed import FeedItemSchema, InboxItemSchema
from feedserver.extensions import db
from feedserver.models import FeedItem, InboxEntry, Record, User

VERB_PHRASES = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "undelete": "restored",
    "post": "posted",
}

_item_schema = FeedItemSchema()
_inbox_schema = InboxItemSchema()


def load_references(pairs: Iterable[tuple[str | None, int | None]]) -> dict:
    """Load every record and user named by (kind, id) pairs, one query per kind."""
    wanted: dict[str, set[int]] = {"record": set(), "user": set()}
    for kind, ref_id in pairs:
        if kind in wanted and ref_id is not None:
            wanted[kind].add(ref_id)
    found: dict[tuple[str, int], object] = {}
    for kind, model in (("record", Record), ("user", User)):
        if wanted[kind]:
            for obj in db.session.scalars(sa.select(model).where(model.id.in_(wanted[kind]))):
                found[(kind, obj.id)] = obj
    return found


def reference(kind: str | None, ref_id: int | None, found: dict) -> dict | None:
    if kind is None or ref_id is None:
        return None
    obj = found.get((kind, ref_id))
    return {
        "kind": kind,
        "id": ref_id,
        "name": getattr(obj, "name", None),
        "type": getattr(obj, "type_key", None),
    }


def format_value(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def summary(item: FeedItem, obj: dict | None) -> str:
    actor = item.actor.name if item.actor else "Someone"
    phrase = VERB_PHRASES.get(item.verb, item.verb)
    obj = obj or {}
    what = f"{obj.get('type') or obj.get('kind') or ''} {obj.get('name') or ''}".strip()
    text = f"{actor} {phrase} {what}".strip()
    if item.changes:
        text += ": " + "; ".join(
            f"{c['field']} {format_value(c.get('old'))} → {format_value(c.get('new'))}"
            for c in item.changes
        )
    return text


def item_dicts(items: list[FeedItem]) -> list[dict]:
    found = load_references(
        pair
        for item in items
        for pair in ((item.object_kind, item.object_id), (item.target_kind, item.target_id))
    )
    result = []
    for item in items:
        obj = reference(item.object_kind, item.object_id, found)
        result.append(
            {
                "id": item.id,
                "verb": item.verb,
                "actor": item.actor,
                "object": obj,
                "target": reference(item.target_kind, item.target_id, found),
                "record_type": item.record_type,
                "published": item.published,
                "body": item.body,
                "changes": item.changes or [],
                "summary": summary(item, obj),
                "source": item.source,
                "edited_at": item.edited_at,
            }
        )
    return result


def item_payloads(items: list[FeedItem]) -> list[dict]:
    """Items as JSON-ready dicts, exactly as GET /api/v1/feed/* returns them."""
    return _item_schema.dump(item_dicts(items), many=True)


def inbox_dicts(rows: list[tuple[InboxEntry, FeedItem]]) -> list[dict]:
    """Inbox rows as the item plus the reader's seq and read state (not yet dumped)."""
    dicts = item_dicts([item for _, item in rows])
    for data, (entry, _) in zip(dicts, rows, strict=True):
        data["seq"] = entry.seq
        data["read_at"] = entry.read_at
    return dicts


def inbox_payloads(rows: list[tuple[InboxEntry, FeedItem]]) -> list[dict]:
    """Inbox rows as JSON-ready dicts, exactly as GET /api/v1/feed/home returns them."""
    return _inbox_schema.dump(inbox_dicts(rows), many=True)
