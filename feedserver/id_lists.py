"""`column IN (ids)` for the thousands of ids of a fan-out, bound as ONE parameter; read_ids.

SQLAlchemy's `in_()` binds one parameter per id, and a thousand-id list cost ~8 ms of CPU per
statement (rendering the placeholders, then adapting each value); even a PostgreSQL array bound
as a Python list is adapted id by id (~4 ms). Here the ids travel as one text value, which the
database unpacks: an `INTEGER[]` literal on PostgreSQL, a JSON array on SQLite (JSON1's
json_each). The statement's SQL is the same for every list, so its compiled form is cached.
read_ids brings a thousand ids back the same way, as one array: a quarter of the CPU of as many
rows (0.17 against 0.64 ms for 1,000 followers).
"""

import json
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator


class IdList(TypeDecorator):
    """A list of integer ids as one text value, in the form the database unpacks."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        # int() first: a value that is not an id fails here, never inside the SQL text.
        ids = [int(one) for one in value]
        if dialect.name == "postgresql":
            return "{" + ",".join(map(str, ids)) + "}"
        return json.dumps(ids)


class AmongIds(ColumnElement[bool]):
    """`column` equals one of the ids in `ids`, a bound IdList (see among)."""

    inherit_cache = True
    type = sa.Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, ids: BindParameter):
        self.column, self.ids = column, ids


def among(column, ids: Iterable[int] | BindParameter) -> AmongIds:
    """A WHERE clause: `column` is one of `ids` (a list, or a bindparam of type IdList)."""
    if not isinstance(ids, BindParameter):
        ids = sa.bindparam(None, list(ids), type_=IdList())
    return AmongIds(column, ids)


@compiles(AmongIds)
def _among_json(element, compiler, **kw):
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(AmongIds, "postgresql")
def _among_array(element, compiler, **kw):
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} = ANY(CAST({ids} AS INTEGER[]))"


def read_ids(connection, query: sa.Select) -> list[int]:
    """The values of a one-column SELECT of ids, fetched as one array instead of as rows."""
    ids = query.subquery().c[0]
    if connection.dialect.name == "postgresql":
        value = connection.scalar(sa.select(sa.func.array_agg(ids)))
        return value or []
    value = connection.scalar(sa.select(sa.func.json_group_array(ids)))
    return json.loads(value) if value else []
