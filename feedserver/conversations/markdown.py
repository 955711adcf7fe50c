"""Render post and comment Markdown to safe HTML, finding @mentions and #topics on the way.

Syntax (see docs/conversations.md): a mention is `@[Name](user:7)` or `@[Group](group:3)`, the
form the autocomplete inserts; a topic is `#word` (letters, digits, `_` or `-`, starting with a
letter). Neither is recognised inside code or inside another link.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

Ref = tuple[str, int]

MENTION_TARGET = re.compile(r"^(user|group):(\d{1,12})$")
TOPIC = re.compile(r"(?<![\w&#/])#([A-Za-z][\w-]{0,49})")

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_CLASSES = {"a": {"mention", "topic"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


@dataclass
class Rendered:
    html: str
    mentions: set[Ref] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)


def find_mentions(source: str) -> set[Ref]:
    """The (kind, id) pairs a body mentions, outside code."""
    return _scan(_md.parse(source))[0]


def render(source: str, names: Callable[[set[Ref]], dict[Ref, str]]) -> Rendered:
    """Render `source`; `names` maps the mentions it finds to display names (unknown: plain)."""
    tokens = _md.parse(source)
    mentions, topics = _scan(tokens)
    known = names(mentions) if mentions else {}
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _rewrite_inline(token.children, known)
    html = _md.renderer.render(tokens, _md.options, {})
    return Rendered(html=sanitize(html), mentions=set(known), topics=topics)


def sanitize(html: str) -> str:
    """Keep only harmless tags and attributes; links get rel="noopener nofollow"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
        clean_content_tags={"script", "style"},
    )


def _scan(tokens: list[Token]) -> tuple[set[Ref], set[str]]:
    mentions: set[Ref] = set()
    topics: set[str] = set()
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        link_depth = 0
        for index, child in enumerate(children):
            if child.type == "link_open":
                ref = _mention_ref(children, index)
                if ref is not None:
                    mentions.add(ref)
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            elif child.type == "text" and link_depth == 0:
                topics.update(m.group(1).lower() for m in TOPIC.finditer(child.content))
    return mentions, topics


def _mention_ref(children: list[Token], index: int) -> Ref | None:
    """The mention a link_open at `index` makes, if it is `@[..](user:N)` or `(group:N)`."""
    match = MENTION_TARGET.match(str(children[index].attrGet("href") or ""))
    previous = children[index - 1] if index else None
    if match is None or previous is None or previous.type != "text":
        return None
    if not previous.content.endswith("@"):
        return None
    return match.group(1), int(match.group(2))


def _rewrite_inline(children: list[Token], known: dict[Ref, str]) -> list[Token]:
    out: list[Token] = []
    link_depth = 0
    index = 0
    while index < len(children):
        child = children[index]
        if child.type == "link_open":
            ref = _mention_ref(children, index)
            if ref is not None:
                close = index + 1
                while children[close].type != "link_close":
                    close += 1
                label = "".join(c.content for c in children[index + 1 : close])
                out[-1].content = out[-1].content[:-1]
                if ref in known:
                    kind, ref_id = ref
                    out.extend(_link(f"/{kind}s/{ref_id}", "@" + known[ref], "mention"))
                else:
                    out.append(_text("@" + label))
                index = close + 1
                continue
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        elif child.type == "text" and link_depth == 0:
            out.extend(_split_topics(child.content))
            index += 1
            continue
        out.append(child)
        index += 1
    return out


def _split_topics(text: str) -> list[Token]:
    pieces: list[Token] = []
    position = 0
    for match in TOPIC.finditer(text):
        if match.start() > position:
            pieces.append(_text(text[position : match.start()]))
        name = match.group(1).lower()
        pieces.extend(_link(f"/topics/{name}", "#" + match.group(1), "topic"))
        position = match.end()
    if position < len(text):
        pieces.append(_text(text[position:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(href: str, label: str, css_class: str) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", href)
    opening.attrSet("class", css_class)
    return [opening, _text(label), Token("link_close", "a", -1)]
