"""Every model, imported so the metadata (and Alembic) sees all tables."""

from feedserver.models.conversation import (
    LIKEABLE_KINDS,
    MUTABLE_KINDS,
    Bookmark,
    Comment,
    Like,
    Mute,
)
from feedserver.models.fanout_job import FanoutJob
from feedserver.models.feed_item import FeedItem
from feedserver.models.follow import FOLLOWABLE_KINDS, Follow
from feedserver.models.group import (
    GROUP_ROLES,
    GROUP_VISIBILITIES,
    Group,
    GroupJoinRequest,
    GroupMember,
)
from feedserver.models.inbound import InboundEvent, InboundMessage
from feedserver.models.inbox import InboxEntry
from feedserver.models.integration import Integration, IntegrationSecret
from feedserver.models.notification import NOTIFICATION_KINDS, Notification, NotificationSetting
from feedserver.models.outbound import DeliveryAttempt, OutboxMessage, Subscription
from feedserver.models.poll import BestAnswer, PollChoice, PollVote
from feedserver.models.record import NATIVE_SOURCE, Record, RecordType
from feedserver.models.record_inbound_token import RecordInboundToken
from feedserver.models.search import SEARCH_KINDS, SearchDocument
from feedserver.models.topic import ItemTopic, Topic
from feedserver.models.user import ApiToken, InboxCounter, User
from feedserver.models.visit import VISIT_STATUSES, VISIT_VISIBILITIES, Visit

__all__ = [
    "FOLLOWABLE_KINDS",
    "GROUP_ROLES",
    "GROUP_VISIBILITIES",
    "LIKEABLE_KINDS",
    "MUTABLE_KINDS",
    "NATIVE_SOURCE",
    "NOTIFICATION_KINDS",
    "SEARCH_KINDS",
    "ApiToken",
    "BestAnswer",
    "Bookmark",
    "Comment",
    "DeliveryAttempt",
    "FanoutJob",
    "FeedItem",
    "Follow",
    "Group",
    "GroupJoinRequest",
    "GroupMember",
    "InboundEvent",
    "InboundMessage",
    "InboxCounter",
    "InboxEntry",
    "Integration",
    "IntegrationSecret",
    "ItemTopic",
    "Like",
    "Mute",
    "Notification",
    "NotificationSetting",
    "OutboxMessage",
    "PollChoice",
    "PollVote",
    "Record",
    "RecordInboundToken",
    "RecordType",
    "SearchDocument",
    "Subscription",
    "Topic",
    "User",
    "VISIT_STATUSES",
    "VISIT_VISIBILITIES",
    "Visit",
]
