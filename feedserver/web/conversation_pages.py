"""Conversation pages: an item's comments, notifications, bookmarks, topics, groups, search.

Actions (like, comment, vote, bookmark, mute, share, post) are sent by the page's script to the
JSON API; these views only read, through the conversation services.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from feedserver.conversations.bookmarks import bookmarked_items
from feedserver.conversations.comments import comment_payloads, item_comments
from feedserver.conversations.topics import find_topic, topic_items
from feedserver.extensions import db
from feedserver.feed.queries import company_feed, group_feed
from feedserver.feed.visibility import can_see
from feedserver.groups.membership import role_of
from feedserver.models import BestAnswer, Bookmark, FeedItem, Group
from feedserver.notifications.inbox import notifications_of
from feedserver.notifications.present import notification_payloads, unread_count
from feedserver.search.query import search
from feedserver.web.feed_views import inbox_position, item_page
from feedserver.web.pages import render_feed

bp = Blueprint("conversation_pages", __name__)
NOTIFICATIONS_SHOWN = 50
SEARCH_RESULTS = 30


@bp.get("/fragments/items/<int:item_id>/comments")
@login_required
def comments_fragment(item_id: int):
    item = db.session.get(FeedItem, item_id)
    if item is None or not can_see(current_user, item):
        abort(404)
    comments = db.session.scalars(item_comments(item_id)).all()
    best = db.session.scalar(sa.select(BestAnswer.comment_id).where(BestAnswer.item_id == item_id))
    return render_template(
        "_comments.html",
        comments=comment_payloads(comments),
        item_id=item_id,
        comment_count=item.comment_count or 0,
        is_question=item.verb == "question",
        can_choose_best=item.actor_id == current_user.id,
        best_answer_id=best,
    )


@bp.get("/notifications")
@login_required
def notifications():
    notes = db.session.scalars(notifications_of(current_user).limit(NOTIFICATIONS_SHOWN)).all()
    return render_template("notifications.html", notifications=notification_payloads(notes))


@bp.get("/bookmarks")
@login_required
def bookmarks():
    last_seq = inbox_position(current_user)
    page = item_page(
        current_user, bookmarked_items(current_user), request.args.get("cursor"), key=Bookmark.id
    )
    return render_feed("bookmarks.html", page, last_seq=last_seq)


@bp.get("/topics/<string:name>")
@login_required
def topic_page(name: str):
    topic = find_topic(name)
    if topic is None:
        abort(404)
    last_seq = inbox_position(current_user)
    query = company_feed(current_user).where(FeedItem.id.in_(topic_items(topic.id)))
    page = item_page(current_user, query, request.args.get("cursor"))
    return render_feed("topic.html", page, topic=topic, last_seq=last_seq)


@bp.get("/groups/<int:group_id>")
@login_required
def group_page(group_id: int):
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    role = role_of(current_user.id, group.id)
    if group.visibility == "private" and role is None and not current_user.is_admin:
        abort(404)
    last_seq = inbox_position(current_user)
    page = item_page(current_user, group_feed(current_user, group.id), request.args.get("cursor"))
    return render_feed("group.html", page, group=group, role=role, last_seq=last_seq)


@bp.get("/search")
@login_required
def search_page():
    text = request.args.get("q", "").strip()[:200]
    hits = search(current_user, text, None, SEARCH_RESULTS) if text else []
    return render_template("search.html", q=text, hits=[doc for doc, _rank in hits])


@bp.app_context_processor
def _bell():
    """The unread count the bell in the top bar starts from (live events keep it current)."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(current_user.id)}
