"""Tell open radars that a visit changed, once the change commits (docs/radar.md)."""

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.events import queue_event
from feedserver.feed.teams import managers_above
from feedserver.feed.visit_visibility import visit_viewers_of
from feedserver.models import Record, User, Visit

VISIT_CHANGED = "visit_changed"


def radar_watchers(record: Record) -> set[int]:
    """Whose radar shows this visit: the rep, and their managers while the rep shares visits."""
    rep = record.owner
    if rep is None:
        return set()
    people = {rep.id}
    if rep.share_visits_with_managers:
        people |= managers_above({rep.id})
    query = sa.select(User.id).where(User.id.in_(people), User.active.is_(True))
    allowed = visit_viewers_of(record)
    if allowed is not None:
        query = query.where(allowed)
    return set(db.session.scalars(query))


def announce_visit(record: Record, visit: Visit) -> None:
    """Queue `visit_changed` for the radars that show this visit (sent after commit)."""
    payload = {
        "visit_id": record.id,
        "rep_id": record.owner_id,
        "account_id": record.account_id,
        "status": (record.fields or {}).get("status"),
        "visibility": visit.visibility,
    }
    queue_event(VISIT_CHANGED, payload, radar_watchers(record))
