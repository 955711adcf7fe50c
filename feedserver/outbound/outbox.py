"""Write outbound deliveries in the same transaction as the feed item they announce."""

import uuid

import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.feed.visit_visibility import is_private_visit_item
from feedserver.models import FeedItem, Integration, OutboxMessage, Subscription
from feedserver.outbound.events import event_type, payload


def wants(subscription: Subscription, kind: str, item: FeedItem) -> bool:
    types = subscription.event_types or []
    if "*" not in types and kind not in types:
        return False
    return not subscription.record_types or item.record_type in subscription.record_types


def enqueue_for_item(item: FeedItem) -> list[OutboxMessage]:
    """Queue one outbox message per active subscription that wants this item (no network)."""
    subscriptions = db.session.scalars(
        sa.select(Subscription).where(Subscription.active.is_(True))
    ).all()
    if not subscriptions or is_private_visit_item(item):
        return []  # a private visit is for its rep and admins only, never another system
    kind = event_type(item)
    own_bots = dict(db.session.execute(sa.select(Integration.id, Integration.bot_user_id)).all())
    body = None
    queued = []
    for subscription in subscriptions:
        if not wants(subscription, kind, item):
            continue
        # An integration never hears the changes it made itself (no echo loops).
        if subscription.integration_id and own_bots.get(subscription.integration_id) == (
            item.actor_id
        ):
            continue
        body = body or payload(item)
        message = OutboxMessage(
            subscription_id=subscription.id,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=kind,
            item_id=item.id,
            payload=body,
        )
        db.session.add(message)
        queued.append(message)
    return queued
