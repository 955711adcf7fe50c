"""Catch-up pages for many readers: each feed item presented once, each reader's state apart.

In a reconnect storm thousands of clients catch up on the same few items, and building and
dumping an item's shared part (actor, references, summary, changes) cost more than reading it.
A presented item is kept with a fingerprint of everything it was built from: the item's row,
its actor's row and the record rows it names, all freshly read by the reader's own query. It is
reused only when the fingerprint is equal, so a reader never gets an older form than its query
saw. Items whose form depends on other rows (polls, answers, shares, groups, people or topics
as object or target) are presented per reader, as before.
"""

import sqlalchemy as sa
from flask import current_app

from feedserver.api.presenters import POLL_VERBS, inbox_dicts, with_viewer_state
from feedserver.api.schemas.dumper import compile_dumper
from feedserver.api.schemas.feed import FeedItemSchema, InboxItemSchema
from feedserver.models import FeedItem, User

_dump_item = compile_dumper(FeedItemSchema())
# Of an inbox item, only the reader's keys are in the dict given: the dumper writes only those.
_dump_reader_part = compile_dumper(InboxItemSchema())
_READER_KEYS = ("viewer", "seq", "read_at")
_ITEM_COLUMNS = tuple(attr.key for attr in sa.inspect(FeedItem).column_attrs)
_ACTOR_COLUMNS = tuple(attr.key for attr in sa.inspect(User).column_attrs)
_NOT_KEPT_VERBS = POLL_VERBS | {"share", "question"}
MAX_KEPT = 4096


def catch_up_items(rows: list[tuple], references: dict, viewer: User) -> list[dict]:
    """The dumped inbox items for (entry, item) rows, exactly as the home feed's pages give them."""
    # Per app (its own database): item id -> (fingerprint, dumped shared part), oldest first.
    kept: dict[int, tuple[tuple, dict]] = current_app.extensions.setdefault(
        "realtime_presented", {}
    )
    prints = [_fingerprint(item, references) for _, item in rows]
    shared: list[dict | None] = []
    for (_, item), fingerprint in zip(rows, prints, strict=True):
        found = kept.get(item.id) if fingerprint is not None else None
        shared.append(found[1] if found is not None and found[0] == fingerprint else None)
    missing = [index for index, part in enumerate(shared) if part is None]
    if missing:
        built = inbox_dicts([rows[index] for index in missing], references)
        for index, data in zip(missing, built, strict=True):
            part = _dump_item({k: v for k, v in data.items() if k not in _READER_KEYS})
            shared[index] = part
            if prints[index] is not None:
                _keep(kept, rows[index][1].id, prints[index], part)
    states = with_viewer_state([{"id": i.id, "verb": i.verb} for _, i in rows], viewer)
    return [
        {**part, **_dump_reader_part({"viewer": s["viewer"], "seq": e.seq, "read_at": e.read_at})}
        for part, s, (e, _) in zip(shared, states, rows, strict=True)
    ]


def _fingerprint(item: FeedItem, references: dict) -> tuple | None:
    """Everything the item's shared part is built from, or None if it is not kept."""
    if item.verb in _NOT_KEPT_VERBS or item.group_id is not None:
        return None
    names = []
    for kind, ref_id in ((item.object_kind, item.object_id), (item.target_kind, item.target_id)):
        if kind is None or ref_id is None:
            continue
        if kind != "record" or ("record", ref_id) not in references:
            return None
        record = references[("record", ref_id)]
        names.append(None if record is None else tuple(record))
    state, actor = item.__dict__, item.actor
    # A column not loaded would be read while presenting: such an item is done the plain way.
    if any(key not in state for key in _ITEM_COLUMNS):
        return None
    actor_row = None
    if actor is not None:
        if any(key not in actor.__dict__ for key in _ACTOR_COLUMNS):
            return None
        actor_row = tuple(actor.__dict__[key] for key in _ACTOR_COLUMNS)
    return (tuple(state[key] for key in _ITEM_COLUMNS), actor_row, tuple(names))


def _keep(kept: dict, item_id: int, fingerprint: tuple, part: dict) -> None:
    kept.pop(item_id, None)
    kept[item_id] = (fingerprint, part)
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)))
