"""Outbound webhook subscriptions: administrators manage all, an integration its own."""

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.integrations import ShownOnce
from feedserver.api.pagination import page_or_400
from feedserver.api.schemas.subscriptions import (
    DeliveryArgsSchema,
    DeliveryPageSchema,
    NewSubscriptionSchema,
    SubscriptionCreateSchema,
    SubscriptionSchema,
    SubscriptionUpdateSchema,
)
from feedserver.extensions import db
from feedserver.integrations.service import integration_for_bot
from feedserver.models import DeliveryAttempt, OutboxMessage, Subscription
from feedserver.outbound.subscriptions import (
    SubscriptionError,
    create_subscription,
    update_subscription,
)

blp = Blueprint("subscriptions", __name__, description="Outbound webhooks to other systems")
protect(blp)


def _scope() -> int | None:
    """None for an administrator (everything); an integration's id for its bot; else 403."""
    if current_user.is_admin:
        return None
    integration = integration_for_bot(current_user)
    if integration is None:
        abort(403, message="only administrators and integrations manage subscriptions")
    return integration.id


def _visible(query):
    scope = _scope()
    return query if scope is None else query.where(Subscription.integration_id == scope)


def _subscription_or_404(subscription_id: int) -> Subscription:
    subscription = db.session.scalar(
        _visible(sa.select(Subscription).where(Subscription.id == subscription_id))
    )
    if subscription is None:
        abort(404, message=f"subscription {subscription_id} not found")
    return subscription


def _or_abort(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except SubscriptionError as exc:
        db.session.rollback()
        abort(exc.status, message=exc.message, errors={exc.field: [exc.message]})


@blp.get("/subscriptions")
@blp.response(200, SubscriptionSchema(many=True))
def list_subscriptions():
    """The subscriptions the caller may manage."""
    return db.session.scalars(_visible(sa.select(Subscription).order_by(Subscription.id))).all()


@blp.post("/subscriptions")
@blp.arguments(SubscriptionCreateSchema)
@blp.response(201, NewSubscriptionSchema)
def create(args):
    """Subscribe a URL to event types; the signing secret is in this answer only."""
    scope = _scope()
    subscription, secret = _or_abort(
        create_subscription,
        args["url"],
        args["event_types"],
        record_types=args.get("record_types"),
        description=args.get("description"),
        created_by_id=current_user.id,
        integration_id=scope,
    )
    db.session.commit()
    return ShownOnce(subscription, secret=secret)


@blp.get("/subscriptions/<id:subscription_id>")
@blp.response(200, SubscriptionSchema)
def get(subscription_id):
    """One subscription."""
    return _subscription_or_404(subscription_id)


@blp.patch("/subscriptions/<id:subscription_id>")
@blp.arguments(SubscriptionUpdateSchema)
@blp.response(200, SubscriptionSchema)
def update(args, subscription_id):
    """Change a subscription; active=true re-enables one the worker disabled."""
    subscription = _subscription_or_404(subscription_id)
    _or_abort(update_subscription, subscription, args)
    db.session.commit()
    return subscription


@blp.delete("/subscriptions/<id:subscription_id>")
@blp.response(204)
def delete(subscription_id):
    """Remove a subscription with its outbox and delivery log."""
    subscription = _subscription_or_404(subscription_id)
    for model in (DeliveryAttempt, OutboxMessage):
        db.session.execute(sa.delete(model).where(model.subscription_id == subscription.id))
    db.session.delete(subscription)
    db.session.commit()


@blp.get("/subscriptions/<id:subscription_id>/deliveries")
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, DeliveryPageSchema)
def deliveries(args, subscription_id):
    """The delivery log: each message, newest first, with every attempt made."""
    subscription = _subscription_or_404(subscription_id)
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.subscription_id == subscription.id)
        .order_by(OutboxMessage.id.desc())
    )
    if args.get("status"):
        query = query.where(OutboxMessage.status == args["status"])
    page = page_or_400(query, OutboxMessage.id, args)
    attempts: dict[int, list] = {}
    ids = [m.id for m in page.rows]
    if ids:
        for row in db.session.scalars(
            sa.select(DeliveryAttempt)
            .where(DeliveryAttempt.outbox_message_id.in_(ids))
            .order_by(DeliveryAttempt.id)
        ):
            attempts.setdefault(row.outbox_message_id, []).append(row)
    items = [
        {**{k: getattr(m, k) for k in _DELIVERY_FIELDS}, "log": attempts.get(m.id, [])}
        for m in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}


_DELIVERY_FIELDS = (
    "id",
    "message_id",
    "event_type",
    "item_id",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "delivered_at",
)
