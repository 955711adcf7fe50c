"""Keep the search index in step with the rows it describes, whoever writes them.

ORM events (after insert/update) rewrite a row's search document on the same connection, so the
index commits or rolls back with the change itself. An update that changed none of the columns
a document is made of leaves it alone (a like or a new comment count is no new text). The
full-text machinery on top of the table (FTS5 triggers on SQLite, a GIN expression index on
PostgreSQL) is in models/search.py.
"""

from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import object_session
from sqlalchemy.orm.util import identity_key

from feedserver.extensions import db
from feedserver.models import Comment, FeedItem, Record, SearchDocument, User

_docs = SearchDocument.__table__


def _write(connection, kind: str, ref_id: int, item_id, title, body, *, new: bool) -> None:
    """Store a row's document: inserted for a new row, else updated in place; none if empty."""
    if not (title or body):
        if not new:
            _remove(connection, kind, ref_id)
        return
    values = {"item_id": item_id, "title": title, "body": body}
    if not new:
        where = sa.and_(_docs.c.kind == kind, _docs.c.ref_id == ref_id)
        if connection.execute(sa.update(_docs).where(where).values(values)).rowcount:
            return
    connection.execute(sa.insert(_docs).values(kind=kind, ref_id=ref_id, **values))


def _remove(connection, kind: str, ref_id: int) -> None:
    connection.execute(sa.delete(_docs).where(_docs.c.kind == kind, _docs.c.ref_id == ref_id))


def _unchanged(row) -> bool:
    """True when an update left every column of the row's document as it was."""
    attrs = sa.inspect(row).attrs
    return not any(attrs[name].history.has_changes() for name in DOCUMENTS[type(row)].columns)


def _record_name(connection, item: FeedItem) -> str | None:
    """The name of the item's record: from the writing session when it holds it, else read."""
    session = object_session(item)
    held = session.identity_map.get(identity_key(Record, item.object_id)) if session else None
    if held is not None and "name" in held.__dict__:  # loaded and not expired
        return held.name
    return connection.scalar(
        sa.select(Record.__table__.c.name).where(Record.__table__.c.id == item.object_id)
    )


def _item_text(connection, item: FeedItem) -> tuple[str | None, str | None]:
    """A post's body, or a tracked change as "Acme renewal stage Negotiation Closed Won"."""
    title = None
    if item.object_kind == "record" and item.object_id is not None:
        title = _record_name(connection, item)
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


def _item_document(connection, item: FeedItem):
    if item.deleted_at is not None or item.verb == "share" and not item.body:
        return None
    return (item.id, *_item_text(connection, item))


def _comment_document(connection, comment: Comment):
    if comment.deleted_at is not None:
        return None
    return comment.item_id, None, comment.body


def _record_document(connection, record: Record):
    if record.deleted_at is not None:
        return None
    values = " ".join(str(v) for v in (record.fields or {}).values() if v not in (None, ""))
    return None, record.name, values or None


def _user_document(connection, user: User):
    if not user.active or user.is_bot:
        return None
    return None, user.name, " ".join(p for p in (user.email, user.title, user.department) if p)


class Indexed(NamedTuple):
    """How one model is indexed: its documents' kind, what they are made of, how to make one."""

    kind: str
    columns: tuple[str, ...]  # an update that changed none of these is skipped
    # (connection, row) -> (item_id, title, body), or None when it has none (deleted, inactive)
    document: Callable


DOCUMENTS = {
    FeedItem: Indexed(
        "item",
        ("body", "changes", "deleted_at", "verb", "object_kind", "object_id"),
        _item_document,
    ),
    Comment: Indexed("comment", ("body", "deleted_at", "item_id"), _comment_document),
    Record: Indexed("record", ("name", "fields", "deleted_at"), _record_document),
    User: Indexed(
        "user", ("name", "email", "title", "department", "active", "is_bot"), _user_document
    ),
}


def _store(connection, row, *, new: bool) -> None:
    indexed = DOCUMENTS[type(row)]
    found = indexed.document(connection, row) or (None, None, None)
    _write(connection, indexed.kind, row.id, *found, new=new)


def _on_insert(mapper, connection, row) -> None:
    _store(connection, row, new=True)


def _on_update(mapper, connection, row) -> None:
    if not _unchanged(row):
        _store(connection, row, new=False)


for _model in DOCUMENTS:
    event.listen(_model, "after_insert", _on_insert)
    event.listen(_model, "after_update", _on_update)


def reindex_all(batch_size: int = 500) -> int:
    """Rebuild every search document from the rows (rows written before the index existed)."""
    connection = db.session.connection()
    count = 0
    for model in DOCUMENTS:
        for row in db.session.scalars(sa.select(model).execution_options(yield_per=batch_size)):
            _store(connection, row, new=False)
            count += 1
    return count
