"""Jinja filters and globals the page templates share: times, values, Markdown, avatars."""

import hashlib
import re
from datetime import UTC, datetime

import nh3
from flask import Flask, url_for
from markdown_it import MarkdownIt
from markupsafe import Markup

from feedserver.api.presenters import format_value

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1",
    "h2", "h3", "h4", "hr", "del",
}  # fmt: skip
_TOPIC = re.compile(r"(?<![\w&#/])#([A-Za-z][\w-]{0,49})")
AVATAR_COLOURS = 8


def render_markdown(text: str | None) -> Markup:
    """Markdown as sanitised HTML; raw HTML in the source is shown as text, never run."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    html = _TOPIC.sub(
        lambda m: f'<a class="topic" href="/topics/{m.group(1).lower()}">#{m.group(1)}</a>', html
    )
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "class"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def as_datetime(moment: datetime | str | None) -> datetime | None:
    """Datetimes as given, ISO strings (as JSON payloads carry them) parsed."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def relative_time(moment: datetime | str | None, now: datetime | None = None) -> str:
    """A short human time ("just now", "5 min ago", "3 h ago", "Mar 4")."""
    moment = as_datetime(moment)
    if moment is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h ago"
    if seconds < 7 * 86400:
        days = round(seconds / 86400)
        return "yesterday" if days == 1 else f"{days} days ago"
    if moment.year == now.year:
        return f"{moment:%b} {moment.day}"
    return f"{moment:%b} {moment.day}, {moment.year}"


def exact_time(moment: datetime | str | None) -> str:
    moment = as_datetime(moment)
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%A, %d %B %Y, %H:%M UTC")


def iso_time(moment: datetime | str | None) -> str:
    moment = as_datetime(moment)
    return moment.astimezone(UTC).isoformat() if moment else ""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def display_value(value) -> str:
    """A field value as people read it: dates and times spelled out, numbers grouped."""
    if isinstance(value, str):
        try:
            if _ISO_DATE.match(value):
                moment = datetime.fromisoformat(value)
                return f"{moment:%b} {moment.day}, {moment.year}"
            if _ISO_DATETIME.match(value):
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if moment.tzinfo is not None:
                    moment = moment.astimezone(UTC)
                return f"{moment:%b} {moment.day}, {moment.year} {moment:%H:%M}"
        except ValueError:
            pass
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return format_value(value)


def field_label(name: str) -> str:
    """A field key as people read it: close_date → Close date."""
    return name.replace("_", " ").strip().capitalize()


def avatar_colour(seed) -> int:
    """A stable colour slot for a person or record, so faces are easy to tell apart."""
    return int(hashlib.sha1(str(seed).encode()).hexdigest()[:4], 16) % AVATAR_COLOURS


def initials(name: str | None) -> str:
    parts = [p for p in (name or "").split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def ref_url(ref: dict | None) -> str | None:
    """The page of a referenced record or person ({kind, id} as the presenters give it)."""
    if not ref:
        return None
    if ref["kind"] == "record":
        return url_for("record_pages.record_page", record_id=ref["id"])
    if ref["kind"] == "user":
        return url_for("people.person_page", user_id=ref["id"])
    return None


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        relative_time=relative_time,
        exact_time=exact_time,
        iso_time=iso_time,
        field_label=field_label,
        value=display_value,
        avatar_colour=avatar_colour,
        initials=initials,
    )
    app.jinja_env.globals.update(ref_url=ref_url)
