"""`flask search …`: rebuild the full-text index."""

import click
from flask.cli import AppGroup

from feedserver.extensions import db
from feedserver.search.index import reindex_all

search_cli = AppGroup("search", help="Full-text search maintenance.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Index every post, comment, change, record and person (after an upgrade or a restore)."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} rows indexed.")
