"""#topics: trending, a topic and its feed (follow one with POST /follows kind "topic")."""

from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.feeds import item_page
from feedserver.api.schemas.conversations import (
    TopicListSchema,
    TopicSchema,
    TrendingArgsSchema,
)
from feedserver.api.schemas.feed import FeedArgsSchema, FeedPageSchema
from feedserver.conversations.topics import find_topic, topic_items, trending
from feedserver.feed.queries import company_feed
from feedserver.feed.visibility import visible_items
from feedserver.models import FeedItem

blp = Blueprint("topics", __name__, description="Topics")
protect(blp)


def _topic_or_404(name: str):
    topic = find_topic(name)
    if topic is None:
        abort(404, message=f"topic {name!r} not found")
    return topic


@blp.get("/topics/trending")
@blp.arguments(TrendingArgsSchema, location="query")
@blp.response(200, TopicListSchema)
def trending_topics(args):
    """Topics used most in the last `days` days, counting only items I may see."""
    rows = trending(visible_items(current_user), args["days"], args["limit"])
    return {"items": [{"id": t.id, "name": t.name, "uses": uses} for t, uses in rows]}


@blp.get("/topics/<string:name>")
@blp.response(200, TopicSchema)
def read_topic(name):
    """A topic by name (its id is what POST /follows takes)."""
    topic = _topic_or_404(name)
    return {"id": topic.id, "name": topic.name}


@blp.get("/topics/<string:name>/feed")
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def topic_feed(args, name):
    """Items tagged with the topic that I may see, newest first."""
    topic = _topic_or_404(name)
    query = company_feed(current_user).where(FeedItem.id.in_(topic_items(topic.id)))
    return item_page(query, args)
