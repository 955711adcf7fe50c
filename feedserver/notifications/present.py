"""Notifications as the API and live pushes show them, and the visibility-checked unread count."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visibility import visible_items
from feedserver.models import FeedItem, Group, Notification, User

PHRASES = {
    "mention": "mentioned you",
    "follow": "started following you",
    "best_answer": "marked your answer as the best answer",
}


def visible_notifications(viewer: User):
    """A WHERE clause on Notification: the viewer's own, about things they may still see."""
    visible_item_ids = sa.select(FeedItem.id).where(visible_items(viewer))
    return sa.and_(
        Notification.user_id == viewer.id,
        sa.or_(Notification.item_id.is_(None), Notification.item_id.in_(visible_item_ids)),
    )


def unread_count(user_id: int) -> int:
    viewer = db.session.get(User, user_id)
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(visible_notifications(viewer), Notification.read_at.is_(None))
    )


def notification_payloads(notes: list[Notification]) -> list[dict]:
    """JSON-ready notifications, each with its grouped sentence ("Ana and 4 others ...")."""
    actor_ids = {a for note in notes for a in note.actor_ids}
    item_ids = {note.item_id for note in notes if note.item_id}
    group_ids = {note.group_id for note in notes if note.group_id}
    users = _by_id(User, actor_ids)
    items = _by_id(FeedItem, item_ids)
    groups = _by_id(Group, group_ids)
    result = []
    for note in notes:
        actors = [users[a] for a in note.actor_ids if a in users]
        item = items.get(note.item_id)
        group = groups.get(note.group_id)
        result.append(
            {
                "id": note.id,
                "kind": note.kind,
                "text": _sentence(note, actors, item, group),
                "actors": [
                    {"id": u.id, "name": u.name, "initials": u.initials} for u in actors[:3]
                ],
                "actor_count": len(note.actor_ids),
                "item_id": note.item_id,
                "comment_id": note.comment_id,
                "group_id": note.group_id,
                "created_at": note.created_at.isoformat(),
                "updated_at": note.updated_at.isoformat(),
                "read_at": note.read_at.isoformat() if note.read_at else None,
            }
        )
    return result


def _sentence(note: Notification, actors: list[User], item, group) -> str:
    first = actors[0].name if actors else "Someone"
    others = len(note.actor_ids) - 1
    who = first
    if others == 1:
        who += " and 1 other"
    elif others > 1:
        who += f" and {others} others"
    what = "post" if item is None or item.verb in ("post", "share", "question") else "item"
    if note.kind == "like":
        phrase = (
            "liked your comment"
            if note.group_key.startswith("like:comment:")
            else (f"liked your {what}")
        )
    elif note.kind == "comment":
        if item is not None and item.actor_id == note.user_id:
            phrase = f"commented on your {what}"
        else:
            phrase = f"commented on a {what} you commented on"
    elif note.kind == "join_request":
        phrase = f"asked to join {group.name}" if group else "asked to join a group"
    else:
        phrase = PHRASES.get(note.kind, note.kind)
    return f"{who} {phrase}"


def _by_id(model, ids) -> dict:
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}
