"""Keep the search index in step with the rows it describes, whoever writes them.

ORM events (after insert/update) rewrite a row's search document on the same connection, so the
index commits or rolls back with the change itself. The full-text machinery on top of the table
(FTS5 triggers on SQLite, a GIN expression index on PostgreSQL) is in models/search.py.
"""

import sqlalchemy as sa
from sqlalchemy import event

from feedserver.extensions import db
from feedserver.models import Comment, FeedItem, Record, SearchDocument, User

_docs = SearchDocument.__table__


def _replace(connection, kind: str, ref_id: int, item_id, title, body) -> None:
    connection.execute(sa.delete(_docs).where(_docs.c.kind == kind, _docs.c.ref_id == ref_id))
    if title or body:
        connection.execute(
            sa.insert(_docs).values(
                kind=kind, ref_id=ref_id, item_id=item_id, title=title, body=body
            )
        )


def _remove(connection, kind: str, ref_id: int) -> None:
    connection.execute(sa.delete(_docs).where(_docs.c.kind == kind, _docs.c.ref_id == ref_id))


def _item_text(connection, item: FeedItem) -> tuple[str | None, str | None]:
    """A post's body, or a tracked change as "Acme renewal stage Negotiation Closed Won"."""
    title = None
    if item.object_kind == "record" and item.object_id is not None:
        title = connection.scalar(
            sa.select(Record.__table__.c.name).where(Record.__table__.c.id == item.object_id)
        )
    parts = [item.body or ""]
    for change in item.changes or []:
        parts.append(
            " ".join(
                str(change.get(key))
                for key in ("field", "old", "new")
                if change.get(key) is not None
            )
        )
    body = " ".join(p for p in parts if p).strip() or None
    return title, body


@event.listens_for(FeedItem, "after_insert")
@event.listens_for(FeedItem, "after_update")
def _index_item(mapper, connection, item: FeedItem) -> None:
    if item.deleted_at is not None or item.verb == "share" and not item.body:
        _remove(connection, "item", item.id)
        return
    title, body = _item_text(connection, item)
    _replace(connection, "item", item.id, item.id, title, body)


@event.listens_for(Comment, "after_insert")
@event.listens_for(Comment, "after_update")
def _index_comment(mapper, connection, comment: Comment) -> None:
    if comment.deleted_at is not None:
        _remove(connection, "comment", comment.id)
        return
    _replace(connection, "comment", comment.id, comment.item_id, None, comment.body)


@event.listens_for(Record, "after_insert")
@event.listens_for(Record, "after_update")
def _index_record(mapper, connection, record: Record) -> None:
    if record.deleted_at is not None:
        _remove(connection, "record", record.id)
        return
    values = " ".join(str(v) for v in (record.fields or {}).values() if v not in (None, ""))
    _replace(connection, "record", record.id, None, record.name, values or None)


@event.listens_for(User, "after_insert")
@event.listens_for(User, "after_update")
def _index_user(mapper, connection, user: User) -> None:
    if not user.active or user.is_bot:
        _remove(connection, "user", user.id)
        return
    about = " ".join(p for p in (user.email, user.title, user.department) if p)
    _replace(connection, "user", user.id, None, user.name, about)


def reindex_all(batch_size: int = 500) -> int:
    """Rebuild every search document from the rows (rows written before the index existed)."""
    connection = db.session.connection()
    indexers = (
        (FeedItem, _index_item),
        (Comment, _index_comment),
        (Record, _index_record),
        (User, _index_user),
    )
    count = 0
    for model, index in indexers:
        for row in db.session.scalars(sa.select(model).execution_options(yield_per=batch_size)):
            index(None, connection, row)
            count += 1
    return count
