"""Posts, questions and polls; reading, editing, deleting and sharing any feed item."""

from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.presenters import item_dicts, with_viewer_state
from feedserver.api.refusals import refusals
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.conversations import (
    BestAnswerSchema,
    ItemPageSchema,
    PostCreateSchema,
    PostUpdateSchema,
    ShareSchema,
    VoteSchema,
)
from feedserver.api.schemas.feed import FeedItemSchema, PollSchema
from feedserver.conversations import bookmarks, hooks, polls  # noqa: F401  (hooks: listeners)
from feedserver.conversations.posts import (
    Target,
    create_post,
    delete_post,
    edit_post,
    get_visible_item,
    share_item,
)
from feedserver.conversations.questions import mark_best_answer
from feedserver.extensions import db
from feedserver.groups.membership import get_group
from feedserver.models import FeedItem

blp = Blueprint("posts", __name__, description="Posts, questions, polls and shares")
protect(blp)


def item_json(item: FeedItem) -> dict:
    """One item in the API shape, with my own state (liked, bookmarked, vote)."""
    return with_viewer_state(item_dicts([item]), current_user)[0]


@blp.post("/posts")
@blp.arguments(PostCreateSchema)
@blp.response(201, FeedItemSchema)
def create(args):
    """Post to my profile, a colleague's profile, a record or a group (optionally a question or poll)."""
    target = Target(args["target"]["kind"], args["target"]["id"]) if "target" in args else None
    poll = args.get("poll")
    with refusals():
        item = create_post(
            current_user,
            args["body"],
            target,
            question=args["question"],
            poll_choices=poll["choices"] if poll is not None else None,
        )
    db.session.commit()
    return item_json(item)


@blp.get("/items/<id:item_id>")
@blp.response(200, FeedItemSchema)
def read(item_id):
    """One feed item, if I may see it."""
    with refusals():
        item = get_visible_item(current_user, item_id)
    return item_json(item)


@blp.patch("/items/<id:item_id>")
@blp.arguments(PostUpdateSchema)
@blp.response(200, FeedItemSchema)
def edit(args, item_id):
    """Edit a post's body (its author or an administrator)."""
    with refusals():
        item = edit_post(current_user, get_visible_item(current_user, item_id), args["body"])
    db.session.commit()
    return item_json(item)


@blp.delete("/items/<id:item_id>")
@blp.response(204)
def delete(item_id):
    """Delete a post (its author or an administrator)."""
    with refusals():
        delete_post(current_user, get_visible_item(current_user, item_id))
    db.session.commit()


@blp.post("/items/<id:item_id>/shares")
@blp.arguments(ShareSchema)
@blp.response(201, FeedItemSchema)
def share(args, item_id):
    """Share an item with my followers, or into a group."""
    with refusals():
        item = get_visible_item(current_user, item_id)
        group = get_group(args["group_id"]) if args["to"] == "group" else None
        shared = share_item(current_user, item, group, args.get("body"))
    db.session.commit()
    return item_json(shared)


@blp.post("/items/<id:item_id>/vote")
@blp.arguments(VoteSchema)
@blp.response(200, PollSchema)
def vote(args, item_id):
    """Vote in a poll, or change my vote; the same vote again changes nothing."""
    with refusals():
        poll = polls.vote(current_user, get_visible_item(current_user, item_id), args["choice_id"])
    db.session.commit()
    return poll


@blp.delete("/items/<id:item_id>/vote")
@blp.response(200, PollSchema)
def retract_vote(item_id):
    """Take my vote back."""
    with refusals():
        poll = polls.retract(current_user, get_visible_item(current_user, item_id))
    db.session.commit()
    return poll


@blp.post("/items/<id:item_id>/best-answer")
@blp.arguments(BestAnswerSchema)
@blp.response(200, FeedItemSchema)
def best_answer(args, item_id):
    """Mark a comment as the best answer to my question."""
    with refusals():
        item = get_visible_item(current_user, item_id)
        mark_best_answer(current_user, item, args["comment_id"])
    db.session.commit()
    return item_json(item)


@blp.post("/items/<id:item_id>/bookmark")
@blp.response(204)
def add_bookmark(item_id):
    """Bookmark an item."""
    with refusals():
        bookmarks.bookmark(current_user, get_visible_item(current_user, item_id))
    db.session.commit()


@blp.delete("/items/<id:item_id>/bookmark")
@blp.response(204)
def remove_bookmark(item_id):
    """Remove an item from my bookmarks."""
    bookmarks.remove_bookmark(current_user, item_id)
    db.session.commit()


@blp.get("/bookmarks")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ItemPageSchema)
def list_bookmarks(args):
    """My bookmarked items, most recently bookmarked first."""
    from feedserver.models import Bookmark

    page = page_or_400(bookmarks.bookmarked_items(current_user), Bookmark.id, args)
    return {
        "items": with_viewer_state(item_dicts(page.rows), current_user),
        "next_cursor": page.next_cursor,
    }
