"""The search index: one text document per post, comment, tracked change, record or person.

Both full-text engines index the same table, and both paths that build a schema create them:
`db.create_all()` (tests) runs the DDL below through metadata events; the Alembic migration
must run the same statements (see docs/conversations.md, "Search").
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedserver.extensions import db
from feedserver.orm import intpk

SEARCH_KINDS = ("item", "comment", "record", "user")
# The text search configuration PostgreSQL stems with; the GIN index is built on it.
PG_SEARCH_CONFIG = "english"


def pg_document_vector(table):
    """The tsvector expression the GIN index holds; queries must use the very same one."""
    text = sa.func.coalesce(table.c.title, "") + " " + sa.func.coalesce(table.c.body, "")
    return sa.func.to_tsvector(sa.literal_column(f"'{PG_SEARCH_CONFIG}'::regconfig"), text)


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (sa.UniqueConstraint("kind", "ref_id"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(sa.String(10))
    ref_id: Mapped[int]
    # The feed item a post, comment or change belongs to: search re-checks its visibility.
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feed_items.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(sa.Text)
    body: Mapped[str | None] = mapped_column(sa.Text)


_table = SearchDocument.__table__

sa.Index("ix_search_documents_tsv", pg_document_vector(_table), postgresql_using="gin").ddl_if(
    dialect="postgresql"
)

# SQLite: an external-content FTS5 table over search_documents, kept in sync by triggers.
SQLITE_FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, content='search_documents', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
SQLITE_FTS_DROP = (
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TABLE IF EXISTS search_fts",
)

for _statement in SQLITE_FTS_DDL:
    sa.event.listen(_table, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_FTS_DROP:
    sa.event.listen(_table, "before_drop", sa.DDL(_statement).execute_if(dialect="sqlite"))
