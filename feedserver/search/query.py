"""Search the index with each database's own full-text engine, keeping only what I may see.

SQLite: the FTS5 table with MATCH and bm25() ranking; the words are quoted so user input is
never FTS5 syntax, and the last word matches as a prefix (search as you type).
PostgreSQL: websearch_to_tsquery (quotes, OR, -word) against the GIN-indexed tsvector, ranked
with ts_rank.
"""

import re

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visibility import visible_items, visible_records
from feedserver.models import FeedItem, Record, SearchDocument, User
from feedserver.models.search import PG_SEARCH_CONFIG, pg_document_vector

WORD = re.compile(r"\w+", re.UNICODE)


def search(viewer: User, text: str, kinds: list[str] | None, limit: int, offset: int = 0):
    """Documents matching `text`, best first, as (SearchDocument, rank) pairs."""
    docs = SearchDocument.__table__
    visible = sa.or_(
        SearchDocument.item_id.is_(None),
        SearchDocument.item_id.in_(sa.select(FeedItem.id).where(visible_items(viewer))),
    )
    if db.engine.dialect.name == "postgresql":
        tsquery = sa.func.websearch_to_tsquery(
            sa.literal_column(f"'{PG_SEARCH_CONFIG}'::regconfig"), text
        )
        vector = pg_document_vector(docs)
        rank = sa.func.ts_rank(vector, tsquery)
        query = sa.select(SearchDocument, rank.label("rank")).where(vector.op("@@")(tsquery))
        order = rank.desc()
    else:
        match = _fts5_query(text)
        if match is None:
            return []
        fts = sa.table("search_fts", sa.column("rowid"))
        rank = sa.func.bm25(sa.literal_column("search_fts"))
        query = (
            sa.select(SearchDocument, rank.label("rank"))
            .join(fts, fts.c.rowid == SearchDocument.id)
            .where(sa.literal_column("search_fts").op("MATCH")(match))
        )
        order = rank.asc()  # bm25: lower is better
    query = query.where(visible)
    # Records are findable only when visible to the viewer (private visits are not).
    hidden_records = sa.select(Record.id).where(~visible_records(viewer))
    query = query.where(
        sa.or_(SearchDocument.kind != "record", SearchDocument.ref_id.not_in(hidden_records))
    )
    if kinds:
        query = query.where(SearchDocument.kind.in_(kinds))
    rows = db.session.execute(
        query.order_by(order, SearchDocument.id.desc()).limit(limit).offset(offset)
    ).all()
    return [(doc, rank) for doc, rank in rows]


def _fts5_query(text: str) -> str | None:
    words = WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words[:20]]
    quoted[-1] += "*"
    return " ".join(quoted)
