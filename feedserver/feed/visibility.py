"""The one place that decides who may see what; every read and every fan-out asks here.

Rules: removed items are never visible; an item in a group is visible to everyone when the
group is public and only to its members when it is private; a share is visible only to those
who may see the item it shares. Mutes are not permissions: they only keep things out of a
person's home feed and notifications (`unmuted_items`, and at fan-out). Client visits are
restricted by their own visibility (team, company, private): see feed.visit_visibility.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from feedserver.extensions import db
from feedserver.feed.teams import managers_above
from feedserver.feed.visit_visibility import (
    is_visit_record,
    visible_visit_items,
    visible_visit_records,
    visit_viewers,
)
from feedserver.id_lists import among
from feedserver.models import FeedItem, Group, GroupMember, Mute, Record, User


def admitted_groups(viewer_id: int):
    """A SELECT of the ids of groups whose items `viewer_id` may see."""
    member_of = sa.select(GroupMember.group_id).where(GroupMember.user_id == viewer_id)
    return sa.select(Group.id).where(sa.or_(Group.visibility == "public", Group.id.in_(member_of)))


def visible_groups(viewer: User):
    """A WHERE clause on Group keeping the groups `viewer` may know about."""
    member_of = sa.select(GroupMember.group_id).where(GroupMember.user_id == viewer.id)
    return sa.or_(Group.visibility == "public", Group.id.in_(member_of))


def visible_items(viewer: User, item=FeedItem):
    """A WHERE clause keeping only the feed items `viewer` may see now."""
    shared = aliased(FeedItem)
    admitted = admitted_groups(viewer.id)
    # The viewer's reporting line, walked once for both visit clauses below.
    above = None if viewer.is_admin else managers_above({viewer.id})
    shares_visible_original = sa.exists(
        sa.select(shared.id).where(
            shared.id == item.object_id,
            shared.deleted_at.is_(None),
            sa.or_(shared.group_id.is_(None), shared.group_id.in_(admitted)),
            visible_visit_items(viewer, shared, above),
        )
    )
    return sa.and_(
        item.deleted_at.is_(None),
        sa.or_(item.group_id.is_(None), item.group_id.in_(admitted)),
        sa.or_(item.verb != "share", shares_visible_original),
        visible_visit_items(viewer, item, above),
    )


def records_named_by(items: list[FeedItem]) -> dict:
    """The records these items name (object, target) by id, as (id, type_key, name) rows.

    That is what visibility and presenting need of them; None for an id with no record. Read
    as plain rows on the session's connection, as home_page reads its page.
    """
    record_ids = {
        ref_id
        for item in items
        for kind, ref_id in ((item.object_kind, item.object_id), (item.target_kind, item.target_id))
        if kind == "record" and ref_id is not None
    }
    if not record_ids:
        return {}
    found = dict.fromkeys(record_ids)
    found.update(
        (row.id, row)
        for row in db.session.connection().execute(_RECORDS_AMONG, {"ids": list(record_ids)})
    )
    return found


# Built once, so every page asks with the same statement.
_RECORDS_AMONG = sa.select(Record.id, Record.type_key, Record.name).where(
    Record.id.in_(sa.bindparam("ids", expanding=True))
)


def hidden_among(viewer: User, items: list[FeedItem], records: dict) -> set[int]:
    """The ids of these items `viewer` may not see now: the rule of visible_items, item by item.

    `records` holds (at least) the records the items name (records_named_by). Only a removed
    item, an item in a group, a share, or an item about a visit record can be hidden: removed
    items are hidden outright, and the others, rare on a home page, are asked about in one query
    with visible_items. A page of plain items needs no query at all.
    """
    hidden = {item.id for item in items if item.deleted_at is not None}
    visits = {ref_id for ref_id, record in records.items() if is_visit_record(record)}
    suspects = [
        item.id
        for item in items
        if item.id not in hidden
        and (
            item.group_id is not None
            or item.verb == "share"
            or (item.object_kind == "record" and item.object_id in visits)
            or (item.target_kind == "record" and item.target_id in visits)
        )
    ]
    if suspects:
        seen = set(
            db.session.scalars(
                sa.select(FeedItem.id).where(FeedItem.id.in_(suspects), visible_items(viewer))
            )
        )
        hidden.update(item_id for item_id in suspects if item_id not in seen)
    return hidden


def can_see(viewer: User, item: FeedItem) -> bool:
    """Whether `viewer` may see this one item now (the same rule as visible_items)."""
    if item.deleted_at is not None or not viewer.active:
        return False
    found = db.session.scalar(
        sa.select(FeedItem.id).where(FeedItem.id == item.id, visible_items(viewer))
    )
    return found is not None


def visible_records(viewer: User, record=Record):
    """A WHERE clause on Record keeping those `viewer` may see (private visits are not)."""
    return visible_visit_records(viewer, record)


def can_see_record(viewer: User, record: Record) -> bool:
    """Whether `viewer` may see this record and its page (the same rule as visible_records)."""
    found = db.session.scalar(
        sa.select(Record.id).where(Record.id == record.id, visible_records(viewer))
    )
    return found is not None and viewer.active


def can_see_group(viewer: User, group: Group) -> bool:
    return group.visibility == "public" or is_member(viewer.id, group.id)


def is_member(user_id: int, group_id: int) -> bool:
    return db.session.get(GroupMember, {"group_id": group_id, "user_id": user_id}) is not None


def allowed_viewers(item: FeedItem, user_ids: Iterable[int]):
    """A SELECT of the ids among `user_ids` who may see `item` (permission only, no mutes)."""
    # One bound value however many ids: a fan-out asks about thousands (id_lists).
    query = sa.select(User.id).where(among(User.id, set(user_ids)), User.active.is_(True))
    for group_id in _restricting_groups(item):
        members = sa.select(GroupMember.user_id).where(GroupMember.group_id == group_id)
        query = query.where(User.id.in_(members))
    if item.deleted_at is not None:
        query = query.where(sa.false())
    visit_rule = visit_viewers(item)
    if visit_rule is not None:
        query = query.where(visit_rule)
    return query


def eligible_recipients(item: FeedItem, user_ids: set[int]):
    """A SELECT of the ids among `user_ids` who may receive `item` at write time.

    Permission first; then people who muted the item's actor, record or the item itself.
    """
    return allowed_viewers(item, user_ids).where(
        ~sa.exists(_mutes_matching(item).where(Mute.user_id == User.id))
    )


def unmuted_items(viewer: User, item=FeedItem):
    """A WHERE clause dropping items `viewer` muted (by item, actor or record) from a feed."""
    return unmuted_by(viewer.id, item)


def unmuted_by(viewer_id, item=FeedItem):
    """unmuted_items for a viewer id, given as a value or as a bind parameter."""
    return ~sa.exists(
        sa.select(Mute.id).where(
            Mute.user_id == viewer_id,
            sa.or_(
                sa.and_(Mute.subject_kind == "item", Mute.subject_id == item.id),
                sa.and_(
                    Mute.subject_kind == "item",
                    Mute.subject_id == item.object_id,
                    item.verb == "share",
                ),
                sa.and_(Mute.subject_kind == "user", Mute.subject_id == item.actor_id),
                sa.and_(
                    Mute.subject_kind == "record",
                    sa.or_(
                        sa.and_(item.object_kind == "record", Mute.subject_id == item.object_id),
                        sa.and_(item.target_kind == "record", Mute.subject_id == item.target_id),
                    ),
                ),
            ),
        )
    )


def _mutes_matching(item: FeedItem):
    """A SELECT of mutes that silence this item, for any user (correlate on Mute.user_id)."""
    subjects = [("item", item.id)]
    if item.verb == "share" and item.object_id is not None:
        subjects.append(("item", item.object_id))
    if item.actor_id is not None:
        subjects.append(("user", item.actor_id))
    for kind, ref_id in ((item.object_kind, item.object_id), (item.target_kind, item.target_id)):
        if kind == "record" and ref_id is not None:
            subjects.append(("record", ref_id))
    return sa.select(Mute.id).where(
        sa.or_(*(sa.and_(Mute.subject_kind == k, Mute.subject_id == i) for k, i in subjects))
    )


def _restricting_groups(item: FeedItem) -> list[int]:
    """Private groups whose membership gates this item (its own, and a shared original's)."""
    group_ids = []
    if item.group_id is not None:
        group_ids.append(item.group_id)
    if item.verb == "share" and item.object_id is not None:
        original = db.session.get(FeedItem, item.object_id)
        if original is not None and original.group_id is not None:
            group_ids.append(original.group_id)
    if not group_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Group.id).where(Group.id.in_(group_ids), Group.visibility == "private")
        )
    )
