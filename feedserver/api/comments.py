"""Comments on items, and likes on items and comments (with who liked)."""

from flask_login import current_user
from flask_smorest import Blueprint

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.refusals import refusals
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.conversations import (
    CommentCreateSchema,
    CommentPageSchema,
    CommentSchema,
    LikerPageSchema,
    LikeStateSchema,
    PostUpdateSchema,
)
from feedserver.conversations import likes
from feedserver.conversations.comments import (
    add_comment,
    comment_payloads,
    delete_comment,
    edit_comment,
    get_visible_comment,
    item_comments,
)
from feedserver.conversations.posts import get_visible_item
from feedserver.extensions import db
from feedserver.models import Comment, FeedItem, Like

blp = Blueprint("comments", __name__, description="Comments and likes")
protect(blp)


def _comments_json(comments: list[Comment]) -> list[dict]:
    liked = likes.liked_by(current_user.id, "comment", [c.id for c in comments])
    payloads = comment_payloads(comments)
    for payload in payloads:
        payload["liked_by_me"] = payload["id"] in liked
    return payloads


@blp.get("/items/<id:item_id>/comments")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CommentPageSchema)
def list_comments(args, item_id):
    """An item's comments, oldest first."""
    with refusals():
        get_visible_item(current_user, item_id)
    page = page_or_400(item_comments(item_id), Comment.id, args, after=_after(args))
    return {"items": _comments_json(page.rows), "next_cursor": _next(page)}


@blp.post("/items/<id:item_id>/comments")
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentSchema)
def create_comment(args, item_id):
    """Comment on any item I may see: a post, a tracked change, a share."""
    with refusals():
        comment = add_comment(current_user, get_visible_item(current_user, item_id), args["body"])
    db.session.commit()
    return _comments_json([comment])[0]


@blp.patch("/comments/<id:comment_id>")
@blp.arguments(PostUpdateSchema)
@blp.response(200, CommentSchema)
def update_comment(args, comment_id):
    """Edit a comment (its author or an administrator)."""
    with refusals():
        comment = edit_comment(
            current_user, get_visible_comment(current_user, comment_id), args["body"]
        )
    db.session.commit()
    return _comments_json([comment])[0]


@blp.delete("/comments/<id:comment_id>")
@blp.response(204)
def remove_comment(comment_id):
    """Delete a comment (its author or an administrator)."""
    with refusals():
        delete_comment(current_user, get_visible_comment(current_user, comment_id))
    db.session.commit()


@blp.post("/items/<id:item_id>/like")
@blp.response(200, LikeStateSchema)
def like_item(item_id):
    """Like an item; liking it again changes nothing."""
    with refusals():
        count = likes.like(current_user, get_visible_item(current_user, item_id))
    db.session.commit()
    return {"liked": True, "like_count": count}


@blp.delete("/items/<id:item_id>/like")
@blp.response(200, LikeStateSchema)
def unlike_item(item_id):
    """Take back my like."""
    with refusals():
        count = likes.unlike(current_user, get_visible_item(current_user, item_id))
    db.session.commit()
    return {"liked": False, "like_count": count}


@blp.get("/items/<id:item_id>/likes")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, LikerPageSchema)
def item_likers(args, item_id):
    """Who liked an item, most recent first."""
    with refusals():
        get_visible_item(current_user, item_id)
    page = page_or_400(likes.likers("item", item_id), Like.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@blp.post("/comments/<id:comment_id>/like")
@blp.response(200, LikeStateSchema)
def like_comment(comment_id):
    """Like a comment."""
    with refusals():
        comment = get_visible_comment(current_user, comment_id)
        count = likes.like(current_user, db.session.get(FeedItem, comment.item_id), comment)
    db.session.commit()
    return {"liked": True, "like_count": count}


@blp.delete("/comments/<id:comment_id>/like")
@blp.response(200, LikeStateSchema)
def unlike_comment(comment_id):
    """Take back my like of a comment."""
    with refusals():
        comment = get_visible_comment(current_user, comment_id)
        count = likes.unlike(current_user, db.session.get(FeedItem, comment.item_id), comment)
    db.session.commit()
    return {"liked": False, "like_count": count}


@blp.get("/comments/<id:comment_id>/likes")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, LikerPageSchema)
def comment_likers(args, comment_id):
    """Who liked a comment, most recent first."""
    with refusals():
        get_visible_comment(current_user, comment_id)
    page = page_or_400(likes.likers("comment", comment_id), Like.id, args)
    return {"items": page.rows, "next_cursor": page.next_cursor}


def _after(args):
    # Comments read oldest first, so the cursor is "after this comment id".
    from feedserver.feed.cursor import CursorError, decode_cursor

    if not args.get("cursor"):
        return 0
    try:
        return decode_cursor(args["cursor"])
    except CursorError:
        from flask_smorest import abort

        abort(400, message="cursor is not one this server issued", errors={"cursor": ["bad"]})


def _next(page):
    from feedserver.feed.cursor import encode_cursor

    return encode_cursor(page.rows[-1].id) if page.has_more and page.rows else None
