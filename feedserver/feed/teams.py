"""The reporting line as sets of people: everyone below a manager, everyone above a person."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.models import User


def reports_below(manager_id):
    """A SELECT of the ids of everyone reporting to `manager_id`, directly or not.

    `manager_id` may be a value or a correlated column; UNION (not UNION ALL) stops at a cycle.
    """
    below = sa.select(User.id.label("id")).where(User.manager_id == manager_id)
    below = below.cte(recursive=True, nesting=True)
    below = below.union(sa.select(User.id).where(User.manager_id == below.c.id))
    return sa.select(below.c.id)


def team_ids(manager_id: int) -> set[int]:
    """The manager and everyone below them."""
    return {manager_id, *db.session.scalars(reports_below(manager_id))}


def managers_above_query(user_ids, *, sharing_visits: bool = False) -> sa.Select:
    """A SELECT of the ids of every manager above any of these people, directly or not.

    `sharing_visits`: only above those who share their visits with their managers. UNION (not
    UNION ALL) stops at a cycle.
    """
    start = sa.select(User.manager_id.label("id")).where(
        User.id.in_({uid for uid in user_ids if uid is not None}), User.manager_id.is_not(None)
    )
    if sharing_visits:
        start = start.where(User.share_visits_with_managers.is_(True))
    above = start.cte("managers_above", recursive=True)
    above = above.union(
        sa.select(User.manager_id).where(User.id == above.c.id, User.manager_id.is_not(None))
    )
    return sa.select(above.c.id)


def managers_above(user_ids) -> set[int]:
    """The ids of every manager above any of these people (cycles are cut)."""
    return set(db.session.scalars(managers_above_query(user_ids)))
