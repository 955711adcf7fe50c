"""Who should receive an item: the followers of everything it touches."""

from collections.abc import Iterable

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.teams import managers_above_query
from feedserver.id_lists import read_ids
from feedserver.models import Follow, Record

Subject = tuple[str, int]


def followers_of(subjects: Iterable[Subject]) -> set[int]:
    """Everyone following any of the subjects, each once."""
    query = _followers_query(subjects)
    return _read(query) if query is not None else set()


def _followers_query(subjects: Iterable[Subject]) -> sa.Select | None:
    """A SELECT of the followers of any of the subjects; None when there are none to follow."""
    by_kind: dict[str, set[int]] = {}
    for kind, subject_id in subjects:
        if subject_id is not None:
            by_kind.setdefault(kind, set()).add(subject_id)
    if not by_kind:
        return None
    clause = sa.or_(
        *(
            sa.and_(Follow.subject_kind == kind, Follow.subject_id.in_(ids))
            for kind, ids in by_kind.items()
        )
    )
    return sa.select(Follow.follower_id).where(clause)


def _read(query) -> set[int]:
    db.session.flush()  # as the ORM would: a follow or a manager set in this transaction counts
    # Plain ids, as one value: read through the connection, past the ORM's per-row loading.
    return set(read_ids(db.session.connection(), query))


def record_audience(record: Record, actor_id: int | None) -> set[int]:
    """Followers of the record, its account, its owner and the actor; their managers above.

    Every manager above the owner and the actor gets it without following anything; a visit
    reaches a person's managers only while that person shares visits with them. One statement.
    """
    subjects: list[Subject] = [("record", record.id)]
    if record.account_id:
        subjects.append(("record", record.account_id))
    if record.owner_id:
        subjects.append(("user", record.owner_id))
    if actor_id:
        subjects.append(("user", actor_id))
    managers = managers_above_query(
        (record.owner_id, actor_id), sharing_visits=record.type_key == "visit"
    )
    return _read(sa.union(_followers_query(subjects), managers))
