"""GET /mentions/suggest: autocomplete for @mentions."""

from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.schemas.conversations import SuggestArgsSchema, SuggestionListSchema
from feedserver.conversations.mentions import suggest

blp = Blueprint("mentions", __name__, description="Mention autocomplete")
protect(blp)


@blp.get("/mentions/suggest")
@blp.arguments(SuggestArgsSchema, location="query")
@blp.response(200, SuggestionListSchema)
def suggestions(args):
    """People and groups I may mention whose names start with q, with the text to insert."""
    return {"items": suggest(current_user, args["q"], args["limit"])}
