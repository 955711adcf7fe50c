"""Posts written by other paths (integrations) still get safe rendered HTML."""

from sqlalchemy import event

from feedserver.conversations.markdown import render
from feedserver.models import FeedItem


@event.listens_for(FeedItem, "before_insert")
def _render_missing_html(mapper, connection, item: FeedItem) -> None:
    # Mentions are left as text: only create_post knows who may be mentioned.
    if item.verb in ("post", "question") and item.body and item.body_html is None:
        item.body_html = render(item.body, lambda refs: {}).html
