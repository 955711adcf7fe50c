"""Drain the outbox: sign each due message, POST it, retry with backoff, disable dead URLs."""

import json
import logging
import threading
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from standardwebhooks.webhooks import Webhook

from feedserver.extensions import db, socketio
from feedserver.models import DeliveryAttempt, OutboxMessage, Subscription
from feedserver.orm import utcnow
from feedserver.outbound.sender import Answer, post
from feedserver.outbound.ssrf import UnsafeUrl, check_url

log = logging.getLogger(__name__)
USER_AGENT = "Feedserver-Webhooks/1"


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: base · 2^(attempts-1), capped."""
    config = current_app.config
    seconds = config["OUTBOUND_BACKOFF_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["OUTBOUND_BACKOFF_MAX_SECONDS"]))


def signed_headers(secret: str, message_id: str, body: str) -> dict[str, str]:
    """Standard Webhooks headers for `body`, signed now with the subscription's secret."""
    now = datetime.now().astimezone()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def deliver_due(now: datetime | None = None, limit: int = 50) -> int:
    """Try every message due at `now` (a clock tests may move); returns how many were tried."""
    now = now or utcnow()
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        db.session.commit()
        return 0
    # Lease the claimed messages, so another worker leaves them alone while we send.
    lease = timedelta(seconds=current_app.config["OUTBOUND_TIMEOUT_SECONDS"] * 2 + 60)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(next_attempt_at=now + lease)
    )
    db.session.commit()
    for message_id in ids:
        attempt(message_id, now)
    return len(ids)


def attempt(outbox_id: int, now: datetime) -> None:
    """One delivery attempt: no transaction is held while the network is in use."""
    config = current_app.config
    message = db.session.get(OutboxMessage, outbox_id)
    subscription = message.subscription
    if not subscription.active:
        message.status, message.last_error = "failed", "the subscription is disabled"
        db.session.commit()
        return
    body = json.dumps(message.payload, separators=(",", ":"), default=str)
    url, secret, webhook_id = subscription.url, subscription.secret, message.message_id
    db.session.commit()

    try:
        target = check_url(url, config["OUTBOUND_ALLOW_HOSTS"], config["OUTBOUND_ALLOW_PRIVATE"])
    except UnsafeUrl as exc:
        answer = Answer(None, f"refused: {exc}")
    else:
        headers = signed_headers(secret, webhook_id, body)
        answer = post(target, body.encode(), headers, config["OUTBOUND_TIMEOUT_SECONDS"])
    record(outbox_id, answer, now)


def record(outbox_id: int, answer: Answer, now: datetime) -> None:
    """Log the attempt and decide: delivered, retry later, or give up (and maybe disable)."""
    config = current_app.config
    message = db.session.get(OutboxMessage, outbox_id)
    subscription = db.session.get(Subscription, message.subscription_id)
    ok = answer.status_code is not None and 200 <= answer.status_code < 300
    error = answer.error or (None if ok else f"receiver answered {answer.status_code}")
    db.session.add(
        DeliveryAttempt(
            outbox_message_id=message.id,
            subscription_id=subscription.id,
            attempted_at=now,
            status_code=answer.status_code,
            error=error,
            succeeded=ok,
        )
    )
    message.attempts += 1
    if ok:
        message.status, message.delivered_at, message.last_error = "delivered", now, None
        subscription.consecutive_failures = 0
    elif answer.status_code == 410:
        message.status, message.last_error = "failed", error
        _disable(subscription, "the receiver answered 410 Gone")
    else:
        message.last_error = error
        subscription.consecutive_failures += 1
        if subscription.consecutive_failures >= config["OUTBOUND_DISABLE_AFTER_FAILURES"]:
            _disable(subscription, f"{subscription.consecutive_failures} failures in a row")
        next_at = now + backoff(message.attempts)
        window = timedelta(seconds=config["OUTBOUND_RETRY_WINDOW_SECONDS"])
        if not subscription.active or next_at > message.created_at + window:
            message.status = "failed"
        else:
            message.next_attempt_at = next_at
    db.session.commit()


def _disable(subscription: Subscription, reason: str) -> None:
    subscription.active = False
    subscription.disabled_reason = reason
    log.warning("outbound subscription %s disabled: %s", subscription.id, reason)


def run_forever(app: Flask, sleep=None) -> None:
    """The worker loop: deliver what is due, then sleep for the poll interval."""
    sleep = sleep or socketio.sleep
    while True:
        tried = 0
        with app.app_context():
            try:
                tried = deliver_due()
            except Exception:  # a bad row or a lost database must not end the loop
                log.exception("outbound delivery pass failed")
                db.session.rollback()
            finally:
                db.session.remove()
        if not tried:
            sleep(app.config["OUTBOUND_POLL_SECONDS"])


_started = threading.Lock()
_state = {"started": False}


def start_worker(app: Flask) -> None:
    """Start the in-process worker once (when OUTBOUND_WORKER_ENABLED), on the first request."""
    if not app.config.get("OUTBOUND_WORKER_ENABLED"):
        return

    @app.before_request
    def _start_once():
        if _state["started"]:
            return
        with _started:
            if not _state["started"]:
                _state["started"] = True
                socketio.start_background_task(run_forever, app)
