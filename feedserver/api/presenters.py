"""Turn feed items into the JSON the API returns and live pushes carry (one shape for both)."""

from collections.abc import Iterable

import sqlalchemy as sa

from feedserver.api.schemas.dumper import compile_dumper
from feedserver.api.schemas.feed import FeedItemSchema, InboxItemSchema
from feedserver.extensions import db
from feedserver.models import (
    BestAnswer,
    Bookmark,
    FeedItem,
    Group,
    InboxEntry,
    Like,
    PollVote,
    Record,
    Topic,
    User,
)

VERB_PHRASES = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "undelete": "restored",
    "post": "posted",
    "question": "asked",
    "share": "shared",
}

# Polls are attached to new posts and questions only (conversations.posts.post).
POLL_VERBS = frozenset({"post", "question"})

# FeedItemSchema and InboxItemSchema, compiled (see schemas.dumper): same output, less time.
_dump_item = compile_dumper(FeedItemSchema())
_dump_inbox_item = compile_dumper(InboxItemSchema())


def load_references(
    pairs: Iterable[tuple[str | None, int | None]], known: dict | None = None
) -> dict:
    """Load every record and user named by (kind, id) pairs, one query per kind.

    `known` maps (kind, id) to objects already loaded (the home feed's records, say): those are
    not asked for again.
    """
    known = known or {}
    wanted: dict[str, set[int]] = {"record": set(), "user": set(), "group": set(), "topic": set()}
    for kind, ref_id in pairs:
        if kind in wanted and ref_id is not None and (kind, ref_id) not in known:
            wanted[kind].add(ref_id)
    found: dict[tuple[str, int], object] = dict(known)
    models = (("record", Record), ("user", User), ("group", Group), ("topic", Topic))
    for kind, model in models:
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


def summary(item: FeedItem, obj: dict | None, target: dict | None = None) -> str:
    actor = item.actor.name if item.actor else "Someone"
    phrase = VERB_PHRASES.get(item.verb, item.verb)
    if item.verb == "share":
        obj = None
    obj = obj or {}
    what = f"{obj.get('type') or obj.get('kind') or ''} {obj.get('name') or ''}".strip()
    if item.verb == "share":
        what = "a post"
    text = f"{actor} {phrase} {what}".strip()
    # Conversations name where they happened: "Ana posted on Acme renewal".
    if (
        target
        and target.get("name")
        and not obj
        and not (target.get("kind") == "user" and target.get("id") == item.actor_id)
    ):
        text += f" {'to' if item.verb == 'share' else 'on'} {target['name']}"
    if item.changes:
        text += ": " + "; ".join(
            f"{c['field']} {format_value(c.get('old'))} → {format_value(c.get('new'))}"
            for c in item.changes
        )
    return text


def item_dicts(
    items: list[FeedItem], with_shared: bool = True, known: dict | None = None
) -> list[dict]:
    """Items as dicts (not yet dumped); `known`: references already loaded (load_references)."""
    pairs = [
        pair
        for item in items
        for pair in (
            (item.object_kind, item.object_id),
            (item.target_kind, item.target_id),
            ("group", item.group_id),
        )
    ]
    found = load_references(pairs, known)
    extras = _conversation_extras(items, with_shared)
    result = []
    for item in items:
        obj = reference(item.object_kind, item.object_id, found)
        target = reference(item.target_kind, item.target_id, found)
        result.append(
            {
                "id": item.id,
                "verb": item.verb,
                "actor": item.actor,
                "object": obj,
                "target": target,
                "record_type": item.record_type,
                "published": item.published,
                "body": item.body,
                "changes": item.changes or [],
                "summary": summary(item, obj, target),
                "source": item.source,
                "edited_at": item.edited_at,
                "body_html": item.body_html,
                "group": reference("group", item.group_id, found),
                "comment_count": item.comment_count or 0,
                "like_count": item.like_count or 0,
                "last_activity_at": item.last_activity_at,
                **{key: values.get(item.id) for key, values in extras.items()},
            }
        )
    return result


def _conversation_extras(items: list[FeedItem], with_shared: bool) -> dict[str, dict]:
    """Poll results, best answers and shared originals for these items, by item id."""
    from feedserver.conversations.polls import results_for

    polls = [item.id for item in items if item.verb in POLL_VERBS]
    extras: dict[str, dict] = {"poll": results_for(polls), "best_answer_comment_id": {}}
    questions = [item.id for item in items if item.verb == "question"]
    if questions:
        extras["best_answer_comment_id"] = dict(
            db.session.execute(
                sa.select(BestAnswer.item_id, BestAnswer.comment_id).where(
                    BestAnswer.item_id.in_(questions)
                )
            ).all()
        )
    if with_shared:
        originals_ids = {i.object_id for i in items if i.verb == "share" and i.object_id}
        originals = (
            list(db.session.scalars(sa.select(FeedItem).where(FeedItem.id.in_(originals_ids))))
            if originals_ids
            else []
        )
        by_id = {d["id"]: d for d in item_dicts(originals, with_shared=False)}
        extras["shared"] = {i.id: by_id.get(i.object_id) for i in items if i.verb == "share"}
    return extras


def with_viewer_state(dicts: list[dict], viewer: User) -> list[dict]:
    """Add the per-viewer part ("viewer": liked, bookmarked, vote) to item dicts, in place.

    Kept apart from the shared item shape because live pushes go to many people at once.
    One query for the three (see _VIEWER_STATE).
    """
    ids = [d["id"] for d in dicts]
    polls = [d["id"] for d in dicts if d["verb"] in POLL_VERBS]
    liked, marked, votes = set(), set(), {}
    if ids:
        statement = _VIEWER_STATE_WITH_VOTES if polls else _VIEWER_STATE
        params = {"viewer_id": viewer.id, "ids": ids, "polls": polls}
        for what, item_id, choice_id in db.session.execute(statement, params):
            if what == "liked":
                liked.add(item_id)
            elif what == "bookmarked":
                marked.add(item_id)
            else:
                votes[item_id] = choice_id
    for data in dicts:
        data["viewer"] = {
            "liked": data["id"] in liked,
            "bookmarked": data["id"] in marked,
            "vote": votes.get(data["id"]),
        }
    return dicts


def _viewer_state(with_votes: bool):
    """The viewer's likes and bookmarks among items (and votes in their polls), as one UNION.

    The same rows conversations.likes.liked_by, bookmarks.bookmarked_among and polls.my_votes
    read; built once, so every page asks with the same statement.
    """
    viewer_id = sa.bindparam("viewer_id", type_=sa.Integer)
    ids = sa.bindparam("ids", expanding=True)
    # Typed, or PostgreSQL reads two NULL columns as text and refuses the votes' integers.
    no_choice = sa.cast(sa.null(), sa.Integer)
    parts = [
        sa.select(sa.literal("liked"), Like.subject_id, no_choice).where(
            Like.user_id == viewer_id, Like.subject_kind == "item", Like.subject_id.in_(ids)
        ),
        sa.select(sa.literal("bookmarked"), Bookmark.item_id, no_choice).where(
            Bookmark.user_id == viewer_id, Bookmark.item_id.in_(ids)
        ),
    ]
    if with_votes:
        parts.append(
            sa.select(sa.literal("vote"), PollVote.item_id, PollVote.choice_id).where(
                PollVote.user_id == viewer_id,
                PollVote.item_id.in_(sa.bindparam("polls", expanding=True)),
            )
        )
    return sa.union_all(*parts)


_VIEWER_STATE, _VIEWER_STATE_WITH_VOTES = _viewer_state(False), _viewer_state(True)


def item_payloads(items: list[FeedItem]) -> list[dict]:
    """Items as JSON-ready dicts, exactly as GET /api/v1/feed/* returns them."""
    return [_dump_item(data) for data in item_dicts(items)]


def inbox_dicts(rows: list[tuple[InboxEntry, FeedItem]], known: dict | None = None) -> list[dict]:
    """Inbox rows as the item plus the reader's seq and read state (not yet dumped)."""
    dicts = item_dicts([item for _, item in rows], known=known)
    for data, (entry, _) in zip(dicts, rows, strict=True):
        data["seq"] = entry.seq
        data["read_at"] = entry.read_at
    return dicts


def inbox_payloads(rows: list[tuple[InboxEntry, FeedItem]]) -> list[dict]:
    """Inbox rows as JSON-ready dicts, exactly as GET /api/v1/feed/home returns them."""
    return [_dump_inbox_item(data) for data in inbox_dicts(rows)]
