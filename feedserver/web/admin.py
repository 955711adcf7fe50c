"""Administration pages: people, tracked fields, integrations and their failed events,
outbound subscriptions and their delivery logs. Administrators only."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.extensions import db
from feedserver.integrations.secrets import rotate_secret
from feedserver.integrations.service import (
    VENDORS,
    IntegrationError,
    create_integration,
    reissue_token,
    set_enabled,
)
from feedserver.models import (
    DeliveryAttempt,
    InboundEvent,
    Integration,
    RecordType,
    Subscription,
    User,
)
from feedserver.webhooks.pipeline import ReplayError, replay
from feedserver.webhooks.translators import translator

bp = Blueprint("admin", __name__, url_prefix="/admin")
LOG_ROWS = 50


@bp.before_request
@login_required
def _administrators_only():
    if not current_user.is_admin:
        abort(403)


@bp.get("")
def index():
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users():
    people = db.session.scalars(
        sa.select(User).where(User.is_bot.is_(False)).order_by(User.name)
    ).all()
    return render_template("admin/users.html", people=people)


@bp.get("/record-types")
def record_types():
    types = db.session.scalars(sa.select(RecordType).order_by(RecordType.label)).all()
    return render_template("admin/record_types.html", types=types)


@bp.post("/record-types/<string:key>")
def update_record_type(key: str):
    record_type = db.session.get(RecordType, key)
    if record_type is None:
        abort(404)
    fields = [f.strip() for f in request.form.get("tracked_fields", "").split(",") if f.strip()]
    if any(len(f) > 64 for f in fields):
        flash("A field name is at most 64 characters.", "error")
        return redirect(url_for("admin.record_types")), 303
    record_type.tracked_fields = list(dict.fromkeys(fields))
    db.session.commit()
    flash(f"{record_type.label}: tracking {len(fields)} fields.", "success")
    return redirect(url_for("admin.record_types"))


def _integrations_page(status=200, **context):
    integrations = db.session.scalars(sa.select(Integration).order_by(Integration.name)).all()
    failed = db.session.scalars(
        sa.select(InboundEvent)
        .where(InboundEvent.status == "failed")
        .order_by(InboundEvent.id.desc())
        .limit(LOG_ROWS)
    ).all()
    names = {i.id: i.name for i in integrations}
    context.setdefault("form", {})
    return render_template(
        "admin/integrations.html",
        integrations=integrations,
        failed=failed,
        names=names,
        vendors=VENDORS,
        **context,
    ), status


@bp.get("/integrations")
def integrations():
    return _integrations_page()


@bp.post("/integrations")
def create():
    form = {k: request.form.get(k, "").strip() for k in ("name", "vendor", "source")}
    try:
        created = create_integration(
            form["name"], vendor=form["vendor"] or None, source=form["source"] or None
        )
    except IntegrationError as exc:
        db.session.rollback()
        return _integrations_page(422, form=form, error=exc.message)
    db.session.commit()
    # Shown once, rendered rather than redirected so the secrets never sit in a session.
    return _integrations_page(
        201,
        revealed={
            "name": created.integration.name,
            "token": created.token,
            "secret": created.signing_secret,
        },
    )


def _integration_or_404(integration_id: int) -> Integration:
    integration = db.session.get(Integration, integration_id)
    if integration is None:
        abort(404)
    return integration


@bp.post("/integrations/<int:integration_id>/rotate-secret")
def rotate(integration_id: int):
    integration = _integration_or_404(integration_id)
    grace = current_app.config["INTEGRATION_SECRET_GRACE_SECONDS"]
    secret = rotate_secret(integration, grace)
    db.session.commit()
    return _integrations_page(
        200, revealed={"name": integration.name, "secret": secret, "grace": grace}
    )


@bp.post("/integrations/<int:integration_id>/reissue-token")
def reissue(integration_id: int):
    integration = _integration_or_404(integration_id)
    token = reissue_token(integration)
    db.session.commit()
    return _integrations_page(200, revealed={"name": integration.name, "token": token})


@bp.post("/integrations/<int:integration_id>/enabled")
def toggle(integration_id: int):
    integration = _integration_or_404(integration_id)
    enabled = request.form.get("enabled") == "1"
    set_enabled(integration, enabled)
    db.session.commit()
    flash(f"{integration.name} {'enabled' if enabled else 'disabled'}.", "success")
    return redirect(url_for("admin.integrations"))


@bp.post("/events/<int:event_id>/replay")
def replay_event(event_id: int):
    event = db.session.get(InboundEvent, event_id)
    if event is None:
        abort(404)
    try:
        result = replay(event, translator(event.message.endpoint))
    except ReplayError as exc:
        db.session.rollback()
        flash(f"Event {event_id} was not replayed: {exc.message}", "error")
        return redirect(url_for("admin.integrations"))
    flash(f"Event {event_id} replayed: {result.status}.", "success")
    return redirect(url_for("admin.integrations"))


@bp.get("/subscriptions")
def subscriptions():
    rows = db.session.scalars(sa.select(Subscription).order_by(Subscription.id.desc())).all()
    return render_template("admin/subscriptions.html", subscriptions=rows)


@bp.get("/subscriptions/<int:subscription_id>")
def subscription_log(subscription_id: int):
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None:
        abort(404)
    attempts = db.session.scalars(
        sa.select(DeliveryAttempt)
        .where(DeliveryAttempt.subscription_id == subscription.id)
        .order_by(DeliveryAttempt.id.desc())
        .limit(LOG_ROWS)
    ).all()
    return render_template(
        "admin/subscription_log.html", subscription=subscription, attempts=attempts
    )
