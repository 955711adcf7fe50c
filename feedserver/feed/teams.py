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


def managers_above(user_ids) -> set[int]:
    """The ids of every manager above any of these people (cycles are cut)."""
    found: set[int] = set()
    frontier = {uid for uid in user_ids if uid is not None}
    seen = set(frontier)
    while frontier:
        managers = set(
            db.session.scalars(
                sa.select(User.manager_id).where(
                    User.id.in_(frontier), User.manager_id.is_not(None)
                )
            )
        )
        frontier = managers - seen
        seen |= frontier
        found |= managers
    return found
