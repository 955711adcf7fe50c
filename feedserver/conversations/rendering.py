"""Render a body for an author: Markdown to safe HTML, mentions resolved to names they may see."""

import sqlalchemy as sa

from feedserver.conversations.errors import ConversationError
from feedserver.conversations.markdown import Ref, Rendered, render
from feedserver.extensions import db
from feedserver.feed.visibility import visible_groups
from feedserver.models import Group, User

MAX_BODY = 20_000


def clean_body(body: str | None, field: str = "body") -> str:
    """The body without surrounding blanks; empty or oversized bodies are refused."""
    text = (body or "").strip()
    if not text:
        raise ConversationError(f"{field} must not be empty", field=field)
    if len(text) > MAX_BODY:
        raise ConversationError(f"{field} is longer than {MAX_BODY} characters", field=field)
    return text


def render_for(author: User, body: str) -> Rendered:
    """Render `body`, linking only people who exist and groups the author may see."""

    def names(refs: set[Ref]) -> dict[Ref, str]:
        found: dict[Ref, str] = {}
        user_ids = {ref_id for kind, ref_id in refs if kind == "user"}
        group_ids = {ref_id for kind, ref_id in refs if kind == "group"}
        if user_ids:
            for user in db.session.scalars(
                sa.select(User).where(User.id.in_(user_ids), User.active.is_(True))
            ):
                found[("user", user.id)] = user.name
        if group_ids:
            for group in db.session.scalars(
                sa.select(Group).where(Group.id.in_(group_ids), visible_groups(author))
            ):
                found[("group", group.id)] = group.name
        return found

    return render(body, names)


def mentioned_users(rendered: Rendered) -> set[int]:
    return {ref_id for kind, ref_id in rendered.mentions if kind == "user"}
