"""Catch-up pages for many readers: each feed item presented once, each reader's state apart.

In a reconnect storm thousands of clients catch up on the same few items, and building and
dumping an item's shared part (actor, references, summary, changes) cost more than reading it.
A presented item is kept with a fingerprint of everything it was built from: the item's row
with its actor's fields (feed.item_rows) and the record rows it names, all freshly read by the
reader's own query. It is reused only when the fingerprint is equal, so a reader never gets an
older form than its query saw. Items whose form depends on other rows (polls, answers, shares,
groups, people or topics as object or target) are presented per reader, as before.

The shared part is kept as JSON text too: each reader's item is that text with the reader's own
few keys appended (`PageItem`), so a page is not encoded, nor scanned for binary data, item by
item for every reader. The bytes are those the item's dict would have been encoded to.
"""

import json

from flask import current_app

from feedserver.api.presenters import POLL_VERBS, inbox_dicts, with_viewer_state
from feedserver.api.schemas.dumper import compile_dumper
from feedserver.api.schemas.feed import FeedItemSchema, InboxItemSchema
from feedserver.feed.item_rows import ItemRow
from feedserver.models import User
from feedserver.realtime.encoding import Encoded

_dump_item = compile_dumper(FeedItemSchema())
# Of an inbox item, only the reader's keys are in the dict given: the dumper writes only those.
_dump_reader_part = compile_dumper(InboxItemSchema())
_READER_KEYS = ("viewer", "seq", "read_at")
_NOT_KEPT_VERBS = POLL_VERBS | {"share", "question"}
MAX_KEPT = 4096
# As python-socketio encodes a packet (separators, ASCII), so the spliced bytes are the same.
_encode = json.JSONEncoder(separators=(",", ":")).encode


class PageItem(Encoded):
    """One reader's item of a catch-up page, encoded; `seq` is its place in the reader's inbox."""

    __slots__ = ("seq",)

    def __init__(self, seq: int, text: str):
        super().__init__(text=text)
        self.seq = seq

    def live_form(self) -> dict:
        """The item as a `feed_item` carries it: without the reader's seq and read_at."""
        return {k: v for k, v in self.decoded().items() if k not in ("seq", "read_at")}


def catch_up_items(rows: list[tuple], references: dict, viewer: User) -> list[PageItem]:
    """The inbox items for home_page's (entry, item) rows, exactly as the home feed gives them."""
    # Per app (its own database): item id -> (fingerprint, shared part's JSON), oldest first.
    kept: dict[int, tuple[tuple, str]] = current_app.extensions.setdefault("realtime_presented", {})
    prints = [_fingerprint(item, references) for _, item in rows]
    shared: list[str | None] = []
    for (_, item), fingerprint in zip(rows, prints, strict=True):
        found = kept.get(item.id) if fingerprint is not None else None
        shared.append(found[1] if found is not None and found[0] == fingerprint else None)
    missing = [index for index, part in enumerate(shared) if part is None]
    if missing:
        built = inbox_dicts([rows[index] for index in missing], references)
        for index, data in zip(missing, built, strict=True):
            # The object's text without its closing brace: the reader's keys follow.
            part = _encode(_dump_item({k: v for k, v in data.items() if k not in _READER_KEYS}))
            shared[index] = part[:-1]
            if prints[index] is not None:
                _keep(kept, rows[index][1].id, prints[index], part[:-1])
    states = with_viewer_state([{"id": i.id, "verb": i.verb} for _, i in rows], viewer)
    items = []
    for part, state, (entry, _) in zip(shared, states, rows, strict=True):
        own = {"viewer": state["viewer"], "seq": entry.seq, "read_at": entry.read_at}
        items.append(PageItem(entry.seq, f"{part},{_encode(_dump_reader_part(own))[1:]}"))
    return items


def _fingerprint(item: ItemRow, references: dict) -> tuple | None:
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
    # The item's every column and its actor's fields: all that presenting reads of them.
    return (item, tuple(names))


def _keep(kept: dict, item_id: int, fingerprint: tuple, part: str) -> None:
    kept.pop(item_id, None)
    kept[item_id] = (fingerprint, part)
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)))
