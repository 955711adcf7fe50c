"""GET /search: full text across posts, comments, tracked changes, records and people."""

from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.schemas.search import SearchArgsSchema, SearchResultSchema
from feedserver.search import index  # noqa: F401  (keeps the index in sync)
from feedserver.search.query import search

blp = Blueprint("search", __name__, description="Full-text search")
protect(blp)

SNIPPET = 200


@blp.get("/search")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchResultSchema)
def run_search(args):
    """Everything matching q that I may see, best match first."""
    hits = search(current_user, args["q"], args.get("kind"), args["limit"], args["offset"])
    return {
        "items": [
            {
                "kind": doc.kind,
                "id": doc.ref_id,
                "item_id": doc.item_id,
                "title": doc.title,
                "text": (doc.body or "")[:SNIPPET] or None,
            }
            for doc, _rank in hits
        ]
    }
