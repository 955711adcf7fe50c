"""Who may see a client visit; feed.visibility asks here for anything about a visit record.

- ``private``: the rep (the visit record's owner) and admins, nobody else.
- ``team`` (the default): also everyone above the rep in the reporting line, everyone below
  the rep, and whoever follows the rep or the visited account.
- ``company``: everyone.

Admins see every visit. A visit record without visit facts (e.g. created as a plain record
before they existed) counts as ``team``. Whether a manager gets visits *delivered* is a
separate matter (User.share_visits_with_managers, see feed.audience); it never widens this.
"""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from feedserver.extensions import db
from feedserver.feed.teams import managers_above, reports_below
from feedserver.models import FeedItem, Follow, Record, User, Visit


def visit_visible(viewer: User, visit=Visit, record=Record, above: set[int] | None = None):
    """A WHERE clause over a visit and its record: may `viewer` see this visit?

    `above`: the viewer's managers (teams.managers_above), when the caller already has them.
    """
    if viewer.is_admin:
        return sa.true()
    visibility = sa.func.coalesce(visit.visibility, "team")
    return sa.or_(
        record.owner_id == viewer.id,
        visibility == "company",
        sa.and_(visibility == "team", _in_team_of_owner(viewer, record, above)),
    )


def _in_team_of_owner(viewer: User, record, above: set[int] | None):
    above_viewer = managers_above({viewer.id}) if above is None else above
    follows = sa.select(Follow.id).where(
        Follow.follower_id == viewer.id,
        sa.or_(
            sa.and_(Follow.subject_kind == "user", Follow.subject_id == record.owner_id),
            sa.and_(Follow.subject_kind == "record", Follow.subject_id == record.account_id),
        ),
    )
    # The managers are one bound list (possibly empty), so the statement's shape is the same
    # for every viewer.
    return sa.or_(
        record.owner_id.in_(reports_below(viewer.id)),
        sa.exists(follows),
        record.owner_id.in_(sorted(above_viewer)),
    )


def visible_visit_records(viewer: User, record=Record):
    """A WHERE clause on Record dropping the visit records `viewer` may not see."""
    if viewer.is_admin:
        return sa.true()
    visit_record = aliased(Record)
    hidden = (
        sa.select(visit_record.id)
        .outerjoin(Visit, Visit.record_id == visit_record.id)
        .where(
            visit_record.id == record.id,
            visit_record.type_key == "visit",
            ~visit_visible(viewer, Visit, visit_record),
        )
    )
    return ~sa.exists(hidden)


def visible_visit_items(viewer: User, item=FeedItem, above: set[int] | None = None):
    """A WHERE clause dropping feed items about a visit (as object or target) `viewer` may not see.

    `above`: the viewer's managers, when the caller already has them (see visit_visible).
    """
    if viewer.is_admin:
        return sa.true()
    visit_record = aliased(Record)
    hidden = (
        sa.select(visit_record.id)
        .outerjoin(Visit, Visit.record_id == visit_record.id)
        .where(
            visit_record.type_key == "visit",
            sa.or_(
                sa.and_(item.object_kind == "record", visit_record.id == item.object_id),
                sa.and_(item.target_kind == "record", visit_record.id == item.target_id),
            ),
            ~visit_visible(viewer, Visit, visit_record, above),
        )
    )
    return ~sa.exists(hidden)


def is_visit_record(record) -> bool:
    """Whether this record (or a row with its type_key) is a client visit, or None."""
    return record is not None and record.type_key == "visit"


def visit_viewers(item: FeedItem):
    """A WHERE clause on User keeping those who may see `item`'s visit; None when unrestricted.

    A share of an item about a visit is restricted like the item it shares.
    """
    if item.verb == "share" and item.object_kind == "item" and item.object_id is not None:
        original = db.session.get(FeedItem, item.object_id)
        return visit_viewers(original) if original is not None else None
    clauses = [
        visit_viewers_of(record)
        for kind, record_id in (
            (item.object_kind, item.object_id),
            (item.target_kind, item.target_id),
        )
        if kind == "record" and record_id is not None
        for record in [db.session.get(Record, record_id)]
        if record is not None and record.type_key == "visit"
    ]
    clauses = [clause for clause in clauses if clause is not None]
    return sa.and_(*clauses) if clauses else None


def visit_viewers_of(record: Record):
    """A WHERE clause on User: who may see this visit record (None: everyone)."""
    visit = db.session.get(Visit, record.id)
    visibility = visit.visibility if visit is not None else "team"
    if visibility == "company":
        return None
    allowed = [User.is_admin.is_(True)]
    if record.owner_id is not None:
        allowed.append(User.id == record.owner_id)
    if visibility == "team" and record.owner_id is not None:
        above = managers_above({record.owner_id})
        if above:
            allowed.append(User.id.in_(above))
        subjects = [("user", record.owner_id)]
        if record.account_id is not None:
            subjects.append(("record", record.account_id))
        followers = sa.select(Follow.follower_id).where(
            sa.or_(
                *(sa.and_(Follow.subject_kind == k, Follow.subject_id == i) for k, i in subjects)
            )
        )
        allowed += [User.id.in_(reports_below(record.owner_id)), User.id.in_(followers)]
    return sa.or_(*allowed)


def is_private_visit_item(item: FeedItem) -> bool:
    """Whether `item` is about a private visit (such items never leave for other systems)."""
    if item.verb == "share" and item.object_kind == "item" and item.object_id is not None:
        original = db.session.get(FeedItem, item.object_id)
        return original is not None and is_private_visit_item(original)
    for kind, record_id in ((item.object_kind, item.object_id), (item.target_kind, item.target_id)):
        if kind == "record" and record_id is not None:
            visit = db.session.get(Visit, record_id)
            if visit is not None and visit.visibility == "private":
                return True
    return False
