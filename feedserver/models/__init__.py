"""Every model, imported so the metadata (and Alembic) sees all tables."""

from feedserver.models.feed_item import FeedItem
from feedserver.models.follow import FOLLOWABLE_KINDS, Follow
from feedserver.models.inbox import InboxEntry
from feedserver.models.record import NATIVE_SOURCE, Record, RecordType
from feedserver.models.user import ApiToken, InboxCounter, User

__all__ = [
    "FOLLOWABLE_KINDS",
    "NATIVE_SOURCE",
    "ApiToken",
    "FeedItem",
    "Follow",
    "InboxCounter",
    "InboxEntry",
    "Record",
    "RecordType",
    "User",
]
