"""Feed items read as plain values, for pages that only present them (the home feed).

Loading FeedItem and User entities costs more than the SQL that reads them, and a page only
reads their columns: an ItemRow reads like a FeedItem (each column by its attribute's name, and
`actor`), without the identity map, instrumentation or unit of work.
"""

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from feedserver.models import FeedItem, User

_ITEM_KEYS = tuple(attr.key for attr in sa.inspect(FeedItem).column_attrs)

# Reads like a loaded FeedItem: each column under its attribute's name, then `actor` (an
# ActorBrief, or None). A tuple, so a kept presented form can compare it whole (realtime.presented).
ItemRow = namedtuple("ItemRow", (*_ITEM_KEYS, "actor"))


@dataclass(frozen=True, slots=True)
class ActorBrief:
    """An item's actor as items present it (UserBriefSchema's fields, and what they need)."""

    id: int
    name: str
    title: str | None
    avatar_url: str | None
    email: str

    # User's own rule, read from these fields.
    initials = User.initials


_ACTOR = aliased(User)

# What to select for item_row(), in its order: the item's columns, then its actor's.
ITEM_ROW_COLUMNS = (
    *(getattr(FeedItem, key) for key in _ITEM_KEYS),
    *(getattr(_ACTOR, name) for name in ActorBrief.__dataclass_fields__),
)
_ACTOR_AT = len(_ITEM_KEYS)


def join_actor(query):
    """Add the item's actor to a query on FeedItem (an outer join, as FeedItem.actor loads it)."""
    return query.outerjoin(_ACTOR, _ACTOR.id == FeedItem.actor_id)


def item_row(values: Sequence) -> ItemRow:
    """The ItemRow of values selected as ITEM_ROW_COLUMNS."""
    actor = None if values[_ACTOR_AT] is None else ActorBrief(*values[_ACTOR_AT:])
    return ItemRow(*values[:_ACTOR_AT], actor)
