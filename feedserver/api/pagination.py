"""Turn a keyset Page into the API's {items, next_cursor} body, with clean 400s for bad cursors."""

from flask_smorest import abort

from feedserver.feed.cursor import CursorError
from feedserver.feed.queries import Page, paginate


def page_or_400(query, key, args, after=None) -> Page:
    try:
        return paginate(query, key, args.get("cursor"), args["limit"], after=after)
    except CursorError as exc:
        abort(400, message=str(exc), errors={"cursor": [str(exc)]})
