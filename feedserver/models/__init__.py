"""Every model, imported so the metadata (and Alembic) sees all tables."""

from feedserver.models.fanout_job import FanoutJob
from feedserver.models.feed_item import FeedItem
from feedserver.models.follow import FOLLOWABLE_KINDS, Follow
from feedserver.models.inbound import InboundEvent, InboundMessage
from feedserver.models.inbox import InboxEntry
from feedserver.models.integration import Integration, IntegrationSecret
from feedserver.models.outbound import DeliveryAttempt, OutboxMessage, Subscription
from feedserver.models.record import NATIVE_SOURCE, Record, RecordType
from feedserver.models.record_inbound_token import RecordInboundToken
from feedserver.models.user import ApiToken, InboxCounter, User
from feedserver.models.visit import VISIT_STATUSES, VISIT_VISIBILITIES, Visit

__all__ = [
    "FOLLOWABLE_KINDS",
    "NATIVE_SOURCE",
    "ApiToken",
    "DeliveryAttempt",
    "FanoutJob",
    "FeedItem",
    "Follow",
    "InboundEvent",
    "InboundMessage",
    "InboxCounter",
    "InboxEntry",
    "Integration",
    "IntegrationSecret",
    "OutboxMessage",
    "Record",
    "RecordInboundToken",
    "RecordType",
    "Subscription",
    "User",
    "VISIT_STATUSES",
    "VISIT_VISIBILITIES",
    "Visit",
]
