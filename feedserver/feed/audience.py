"""Who should receive an item: the followers of everything it touches."""

from collections.abc import Iterable

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.teams import managers_above
from feedserver.id_lists import read_ids
from feedserver.models import Follow, Record, User

Subject = tuple[str, int]


def followers_of(subjects: Iterable[Subject]) -> set[int]:
    """Everyone following any of the subjects, each once."""
    by_kind: dict[str, set[int]] = {}
    for kind, subject_id in subjects:
        if subject_id is not None:
            by_kind.setdefault(kind, set()).add(subject_id)
    if not by_kind:
        return set()
    clause = sa.or_(
        *(
            sa.and_(Follow.subject_kind == kind, Follow.subject_id.in_(ids))
            for kind, ids in by_kind.items()
        )
    )
    query = sa.select(Follow.follower_id).where(clause).distinct()
    db.session.flush()  # as the ORM would: a follow added in this transaction counts
    # Plain ids, as one value: read through the connection, past the ORM's per-row loading.
    return set(read_ids(db.session.connection(), query))


def record_audience(record: Record, actor_id: int | None) -> set[int]:
    """Followers of the record, its account, its owner and the actor; their managers above."""
    subjects: list[Subject] = [("record", record.id)]
    if record.account_id:
        subjects.append(("record", record.account_id))
    if record.owner_id:
        subjects.append(("user", record.owner_id))
    if actor_id:
        subjects.append(("user", actor_id))
    return followers_of(subjects) | reporting_line_audience(record, actor_id)


def reporting_line_audience(record: Record, actor_id: int | None) -> set[int]:
    """Every manager above the record's owner and the actor, so a manager needs no follows.

    A visit reaches a person's managers only while that person shares visits with them.
    """
    people = {uid for uid in (record.owner_id, actor_id) if uid is not None}
    if record.type_key == "visit" and people:
        people = set(
            db.session.scalars(
                sa.select(User.id).where(
                    User.id.in_(people), User.share_visits_with_managers.is_(True)
                )
            )
        )
    return managers_above(people)
