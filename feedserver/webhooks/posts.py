"""Messages other systems post to a record's feed or to a person's profile."""

from feedserver.extensions import db
from feedserver.feed.audience import followers_of
from feedserver.feed.publish import publish
from feedserver.models import FeedItem, Record, User
from feedserver.orm import utcnow

POST_VERB = "post"


def post_to_record(
    record: Record,
    actor_id: int,
    text: str,
    *,
    source: str,
    idempotency_key: str | None = None,
) -> FeedItem:
    """Publish `text` on the record's feed for the followers of the record, account and owner."""
    item = FeedItem(
        actor_id=actor_id,
        verb=POST_VERB,
        target_kind="record",
        target_id=record.id,
        record_type=record.type_key,
        published=utcnow(),
        body=text,
        changes=[],
        source=source,
        idempotency_key=idempotency_key,
    )
    subjects = [("record", record.id), ("record", record.account_id), ("user", record.owner_id)]
    publish(item, followers_of(subjects))
    return item


def post_to_user(
    user: User,
    actor_id: int,
    text: str,
    *,
    source: str,
    idempotency_key: str | None = None,
) -> FeedItem:
    """Publish `text` on a person's profile: they and their followers receive it."""
    item = FeedItem(
        actor_id=actor_id,
        verb=POST_VERB,
        target_kind="user",
        target_id=user.id,
        published=utcnow(),
        body=text,
        changes=[],
        source=source,
        idempotency_key=idempotency_key,
    )
    publish(item, followers_of([("user", user.id)]) | {user.id})
    db.session.flush()
    return item
