"""Post, edit and delete posts (and questions and polls), and share items."""

from dataclasses import dataclass

import sqlalchemy as sa

from feedserver.conversations import polls
from feedserver.conversations.errors import ConversationError, not_found
from feedserver.conversations.live import deliver_to, item_watchers, push
from feedserver.conversations.rendering import clean_body, mentioned_users, render_for
from feedserver.conversations.topics import tag_item
from feedserver.extensions import db
from feedserver.feed.audience import followers_of, record_audience
from feedserver.feed.publish import publish
from feedserver.feed.visibility import can_see, can_see_record, is_member
from feedserver.models import FeedItem, Group, GroupMember, Record, User
from feedserver.notifications.notify import notify
from feedserver.orm import utcnow

TARGET_KINDS = ("user", "record", "group")


@dataclass
class Target:
    """Where a post goes: a profile, a record or a group."""

    kind: str
    id: int


def create_post(
    author: User,
    body: str,
    target: Target | None = None,
    *,
    question: bool = False,
    poll_choices: list[str] | None = None,
    source: str = "feedserver",
    idempotency_key: str | None = None,
) -> FeedItem:
    """Publish a post by `author` to its target's audience; mentioned people get it too."""
    text = clean_body(body)
    target = target or Target("user", author.id)
    audience, group, record = _target_audience(author, target)
    rendered = render_for(author, text)
    item = FeedItem(
        actor_id=author.id,
        verb="question" if question else "post",
        target_kind=target.kind,
        target_id=target.id,
        record_type=record.type_key if record is not None else None,
        group_id=group.id if group is not None else None,
        body=text,
        body_html=rendered.html,
        changes=[],
        source=source,
        idempotency_key=idempotency_key,
    )
    db.session.add(item)
    db.session.flush()
    if poll_choices is not None:
        polls.attach_poll(item, poll_choices)
    topics = tag_item(item, rendered.topics)
    mentioned = mentioned_users(rendered)
    audience |= followers_of([("user", author.id), *(("topic", t.id) for t in topics)])
    audience |= mentioned
    publish(item, audience)
    notify("mention", mentioned, author, item=item)
    return item


def edit_post(editor: User, item: FeedItem, body: str) -> FeedItem:
    """Change a post's body (author or admin); newly mentioned people are notified."""
    _check_may_change(editor, item)
    text = clean_body(body)
    before = mentioned_users(render_for(editor, item.body or ""))
    rendered = render_for(editor, text)
    item.body = text
    item.body_html = rendered.html
    item.edited_at = utcnow()
    tag_item(item, rendered.topics)
    db.session.flush()
    newly = mentioned_users(rendered) - before
    if newly:
        deliver_to(item, newly)
        notify("mention", newly, editor, item=item)
    from feedserver.api.presenters import item_payloads

    push("item_updated", {"item": item_payloads([item])[0]}, item_watchers(item))
    return item


def delete_post(editor: User, item: FeedItem) -> None:
    """Remove an item (author or admin); readers stop seeing it at once."""
    _check_may_change(editor, item)
    watchers = item_watchers(item)
    item.deleted_at = utcnow()
    db.session.flush()
    push("item_deleted", {"item_id": item.id}, watchers)


def share_item(sharer: User, item: FeedItem, group: Group | None, body: str | None) -> FeedItem:
    """Share an item to my followers or to a group, as a new "share" item pointing at it."""
    original = item
    if item.verb == "share" and item.object_id is not None:
        original = db.session.get(FeedItem, item.object_id) or item
    if original.group_id is not None:
        source_group = db.session.get(Group, original.group_id)
        if source_group is not None and source_group.is_private:
            raise ConversationError(
                "items of a private group cannot be shared", status=403, field="item_id"
            )
    text = (body or "").strip() or None
    audience = followers_of([("user", sharer.id)])
    if group is not None:
        _check_may_post_in(sharer, group)
        audience = _group_audience(group)
    rendered = render_for(sharer, text) if text else None
    share = FeedItem(
        actor_id=sharer.id,
        verb="share",
        object_kind="item",
        object_id=original.id,
        target_kind="group" if group is not None else None,
        target_id=group.id if group is not None else None,
        group_id=group.id if group is not None else None,
        record_type=original.record_type,
        body=text,
        body_html=rendered.html if rendered else None,
        changes=[],
    )
    if original.actor_id is not None:
        audience.add(original.actor_id)
    publish(share, audience)
    return share


def get_visible_item(viewer: User, item_id: int) -> FeedItem:
    """The item if `viewer` may see it; otherwise 404 (never reveal that it exists)."""
    item = db.session.get(FeedItem, item_id)
    if item is None or not can_see(viewer, item):
        raise not_found("item", item_id)
    return item


def _check_may_change(editor: User, item: FeedItem) -> None:
    if item.verb not in ("post", "question", "share"):
        raise ConversationError("only posts can be edited or deleted", status=403)
    if item.actor_id != editor.id and not editor.is_admin:
        raise ConversationError("only the author or an administrator may do this", status=403)


def _target_audience(author: User, target: Target):
    """Who a post on this target reaches, and the group or record it belongs to."""
    if target.kind not in TARGET_KINDS:
        raise ConversationError(f"cannot post to a {target.kind!r}", field="target_kind")
    if target.kind == "user":
        owner = db.session.get(User, target.id)
        if owner is None or not owner.active:
            raise ConversationError(f"user {target.id} not found", 404, "target_id")
        return followers_of([("user", owner.id)]) | {owner.id}, None, None
    if target.kind == "record":
        record = db.session.get(Record, target.id)
        # A record the author may not see (a private visit) does not exist for them.
        if record is None or record.deleted_at is not None or not can_see_record(author, record):
            raise ConversationError(f"record {target.id} not found", 404, "target_id")
        return record_audience(record, author.id), None, record
    group = db.session.get(Group, target.id)
    if group is None:
        raise ConversationError(f"group {target.id} not found", 404, "target_id")
    _check_may_post_in(author, group)
    return _group_audience(group), group, None


def _check_may_post_in(author: User, group: Group) -> None:
    if group.is_archived:
        raise ConversationError("the group is archived", status=409, field="group_id")
    if not is_member(author.id, group.id):
        raise ConversationError("join the group to post in it", status=403, field="group_id")


def _group_audience(group: Group) -> set[int]:
    members = set(
        db.session.scalars(sa.select(GroupMember.user_id).where(GroupMember.group_id == group.id))
    )
    return members | followers_of([("group", group.id)])
