"""Comments on any feed item (posts and tracked changes alike)."""

import sqlalchemy as sa

from feedserver.conversations.errors import ConversationError, not_found
from feedserver.conversations.live import deliver_to, item_watchers, push
from feedserver.conversations.rendering import clean_body, mentioned_users, render_for
from feedserver.extensions import db
from feedserver.feed.visibility import can_see
from feedserver.models import Comment, FeedItem, User
from feedserver.notifications.notify import notify
from feedserver.orm import utcnow


def add_comment(author: User, item: FeedItem, body: str) -> Comment:
    """Comment on an item; bumps its activity and tells its author and earlier commenters."""
    if item.group_id is not None:
        from feedserver.models import Group

        group = db.session.get(Group, item.group_id)
        if group is not None and group.is_archived:
            raise ConversationError("the group is archived", status=409, field="item_id")
    text = clean_body(body)
    rendered = render_for(author, text)
    earlier = set(
        db.session.scalars(
            sa.select(Comment.author_id).where(
                Comment.item_id == item.id,
                Comment.deleted_at.is_(None),
                Comment.author_id.is_not(None),
            )
        )
    )
    comment = Comment(item_id=item.id, author_id=author.id, body=text, body_html=rendered.html)
    db.session.add(comment)
    item.comment_count = (item.comment_count or 0) + 1
    item.last_activity_at = utcnow()
    db.session.flush()
    mentioned = mentioned_users(rendered)
    deliver_to(item, mentioned)
    notify("mention", mentioned, author, item=item, comment=comment,
           group_key=f"mention:comment:{comment.id}")  # fmt: skip
    interested = earlier | ({item.actor_id} if item.actor_id else set())
    notify("comment", interested - mentioned, author, item=item, comment=comment)
    push(
        "comment_added",
        {
            "item_id": item.id,
            "comment": comment_payloads([comment])[0],
            "comment_count": item.comment_count,
        },
        item_watchers(item, mentioned),
    )
    return comment


def edit_comment(editor: User, comment: Comment, body: str) -> Comment:
    _check_may_change(editor, comment)
    text = clean_body(body)
    comment.body = text
    comment.body_html = render_for(editor, text).html
    comment.edited_at = utcnow()
    db.session.flush()
    return comment


def delete_comment(editor: User, comment: Comment) -> None:
    _check_may_change(editor, comment)
    comment.deleted_at = utcnow()
    item = db.session.get(FeedItem, comment.item_id)
    item.comment_count = max((item.comment_count or 1) - 1, 0)
    db.session.flush()


def get_visible_comment(viewer: User, comment_id: int) -> Comment:
    """The comment if its item is visible to `viewer`; otherwise 404."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise not_found("comment", comment_id)
    item = db.session.get(FeedItem, comment.item_id)
    if item is None or not can_see(viewer, item):
        raise not_found("comment", comment_id)
    return comment


def item_comments(item_id: int):
    """A SELECT of an item's live comments, oldest first."""
    return (
        sa.select(Comment)
        .where(Comment.item_id == item_id, Comment.deleted_at.is_(None))
        .order_by(Comment.id.asc())
    )


def comment_payloads(comments: list[Comment]) -> list[dict]:
    """Comments as JSON-ready dicts (the API shape, also carried by comment_added)."""
    return [
        {
            "id": c.id,
            "item_id": c.item_id,
            "author": (
                {"id": c.author.id, "name": c.author.name, "initials": c.author.initials}
                if c.author
                else None
            ),
            "body": c.body,
            "body_html": c.body_html,
            "like_count": c.like_count,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        }
        for c in comments
    ]


def _check_may_change(editor: User, comment: Comment) -> None:
    if comment.author_id != editor.id and not editor.is_admin:
        raise ConversationError("only the author or an administrator may do this", status=403)
