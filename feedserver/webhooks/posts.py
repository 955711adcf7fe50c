"""Messages other systems post to a record's feed or to a person's profile.

They are ordinary posts by the integration's bot, so Markdown, @mentions and #topics work
exactly as they do for people (feedserver.conversations.posts is the one post service).
"""

from feedserver.conversations.errors import ConversationError
from feedserver.conversations.posts import Target, create_post
from feedserver.extensions import db
from feedserver.models import FeedItem, Record, User


class PostError(ValueError):
    """A post the target refuses (deleted record, inactive person, empty text)."""


def post_to_record(
    record: Record, actor_id: int, text: str, *, source: str, idempotency_key: str | None = None
) -> FeedItem:
    """Publish `text` on the record's feed, as the bot user `actor_id`."""
    return _post(actor_id, text, Target("record", record.id), source, idempotency_key)


def post_to_user(
    user: User, actor_id: int, text: str, *, source: str, idempotency_key: str | None = None
) -> FeedItem:
    """Publish `text` on a person's profile: they and their followers receive it."""
    return _post(actor_id, text, Target("user", user.id), source, idempotency_key)


def _post(actor_id, text, target, source, idempotency_key) -> FeedItem:
    try:
        return create_post(
            db.session.get(User, actor_id),
            text,
            target,
            source=source,
            idempotency_key=idempotency_key,
        )
    except ConversationError as exc:
        raise PostError(exc.message) from None
