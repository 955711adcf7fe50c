"""Mention autocomplete: people and the groups the asker may see, never anything else."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visibility import visible_groups
from feedserver.models import Group, User


def suggest(viewer: User, query: str, limit: int) -> list[dict]:
    """People, then groups, whose names (or emails) start a word with `query`."""
    text = query.strip().lstrip("@").lower()
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    starts, word = f"{escaped}%", f"% {escaped}%"
    people = db.session.scalars(
        sa.select(User)
        .where(
            User.active.is_(True),
            User.is_bot.is_(False),
            sa.or_(
                sa.func.lower(User.name).like(starts, escape="\\"),
                sa.func.lower(User.name).like(word, escape="\\"),
                sa.func.lower(User.email).like(starts, escape="\\"),
            ),
        )
        .order_by(User.name, User.id)
        .limit(limit)
    ).all()
    groups = db.session.scalars(
        sa.select(Group)
        .where(
            visible_groups(viewer),
            Group.archived_at.is_(None),
            sa.or_(
                sa.func.lower(Group.name).like(starts, escape="\\"),
                sa.func.lower(Group.name).like(word, escape="\\"),
            ),
        )
        .order_by(Group.name, Group.id)
        .limit(limit)
    ).all()
    found = [
        {"kind": "user", "id": u.id, "name": u.name, "detail": u.title,
         "mention": f"@[{_label(u.name)}](user:{u.id})"}
        for u in people
    ] + [
        {"kind": "group", "id": g.id, "name": g.name, "detail": f"{g.visibility} group",
         "mention": f"@[{_label(g.name)}](group:{g.id})"}
        for g in groups
    ]  # fmt: skip
    return found[:limit]


def _label(name: str) -> str:
    # Brackets would end the mention's label early; the link resolves the name anyway.
    return name.replace("[", "(").replace("]", ")")
