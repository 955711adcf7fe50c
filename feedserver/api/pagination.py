"""Turn a keyset Page into the API's {items, next_cursor} body, with clean 400s for bad cursors."""

from flask_smorest import abort

from feedserver.feed.cursor import CursorError
from feedserver.feed.queries import Page, home_page, paginate


def page_or_400(query, key, args, after=None) -> Page:
    try:
        return paginate(query, key, args.get("cursor"), args["limit"], after=after)
    except CursorError as exc:
        abort(400, message=str(exc), errors={"cursor": [str(exc)]})


def home_page_or_400(viewer, args) -> Page:
    """The viewer's home feed page for these query arguments (see feed.queries.home_page)."""
    try:
        return home_page(
            viewer,
            args.get("cursor"),
            args["limit"],
            after=args.get("after_seq"),
            verb=args.get("verb"),
            record_type=args.get("record_type"),
            kind=args["kind"],
            group_id=args.get("group_id"),
        )
    except CursorError as exc:
        abort(400, message=str(exc), errors={"cursor": [str(exc)]})
