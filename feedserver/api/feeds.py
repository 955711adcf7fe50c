"""Feeds: my home feed (with catch-up by seq), a record's, a person's, the company's."""

from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.pagination import home_page_or_400, page_or_400
from feedserver.api.presenters import inbox_dicts, item_dicts, with_viewer_state
from feedserver.api.records import get_record_or_404
from feedserver.api.schemas.dumper import compile_dumper
from feedserver.api.schemas.feed import (
    FeedArgsSchema,
    FeedPageSchema,
    HomeFeedArgsSchema,
    HomeFeedPageSchema,
)
from feedserver.api.users import get_user_or_404
from feedserver.feed.cursor import CursorError
from feedserver.feed.queries import (
    company_feed,
    filter_feed,
    home_feed,
    paginate_by_activity,
    profile_feed,
    record_feed,
)
from feedserver.models import FeedItem, InboxEntry

blp = Blueprint("feeds", __name__, description="Feeds, newest first, paged by opaque cursor")
protect(blp)


def _filtered(query, args):
    return filter_feed(
        query, args.get("verb"), args.get("record_type"), args["kind"], args.get("group_id")
    )


def _page(query, key, args, after=None):
    if args["sort"] == "activity" and after is None:
        try:
            return paginate_by_activity(query, args.get("cursor"), args["limit"])
        except CursorError as exc:
            abort(400, message=str(exc), errors={"cursor": [str(exc)]})
    return page_or_400(query, key, args, after=after)


def item_page(query, args):
    page = _page(_filtered(query, args), FeedItem.id, args)
    items = with_viewer_state(item_dicts(page.rows), current_user)
    return jsonify(_dump_page({"items": items, "next_cursor": page.next_cursor}))


# The pages' schemas, compiled (schemas.dumper): views return them dumped, and @blp.response
# documents them (it passes a ready response through).
_dump_page = compile_dumper(FeedPageSchema())
_dump_home_page = compile_dumper(HomeFeedPageSchema())


@blp.get("/feed/home")
@blp.arguments(HomeFeedArgsSchema, location="query")
@blp.response(200, HomeFeedPageSchema)
def home(args):
    """Everything I follow, from my inbox. With after_seq: what came after it, oldest first."""
    if args["sort"] == "activity" and args.get("after_seq") is None:
        page = _page(_filtered(home_feed(current_user), args), InboxEntry.seq, args)
    else:
        page = home_page_or_400(current_user, args)
    items = with_viewer_state(inbox_dicts(page.rows, page.references), current_user)
    return jsonify(
        _dump_home_page(
            {"items": items, "next_cursor": page.next_cursor, "has_more": page.has_more}
        )
    )


@blp.get("/feed/company")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def company(args):
    """Everything in the organisation that I may see."""
    return item_page(company_feed(current_user), args)


@blp.get("/records/<id:record_id>/feed")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def record(args, record_id):
    """A record's feed: its tracked changes and the posts on it."""
    get_record_or_404(record_id)
    return item_page(record_feed(current_user, record_id), args)


@blp.get("/users/<id:user_id>/feed")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def profile(args, user_id):
    """A person's profile feed: what they did and what was posted to them."""
    get_user_or_404(user_id)
    return item_page(profile_feed(current_user, user_id), args)
