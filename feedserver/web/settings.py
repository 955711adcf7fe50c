"""Personal settings: which notifications to get, and API tokens (shown once, revocable)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.auth.tokens import issue_token, revoke_token
from feedserver.extensions import db
from feedserver.models import NOTIFICATION_KINDS, ApiToken
from feedserver.notifications.inbox import change_settings, settings_of

bp = Blueprint("settings", __name__, url_prefix="/settings")
TOKEN_NAME_MAX = 100


def active_tokens(user_id: int) -> list[ApiToken]:
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    ).all()


NOTIFICATION_LABELS = {
    "mention": "Someone mentions me",
    "comment": "Someone comments on my posts or on conversations I am in",
    "like": "Someone likes my posts or comments",
    "follow": "Someone follows me",
    "best_answer": "My answer is chosen as the best answer",
    "join_request": "Someone asks to join a group I manage",
}


def render_settings(status=200, **context):
    context.setdefault("token_name", "")
    return render_template(
        "settings.html",
        tokens=active_tokens(current_user.id),
        preferences=settings_of(current_user),
        labels=NOTIFICATION_LABELS,
        **context,
    ), status


@bp.get("")
@login_required
def settings_page():
    return render_settings()


@bp.post("/notifications")
@login_required
def save_notifications():
    # An unticked checkbox is simply absent from the form: absent means "off".
    change_settings(current_user, {kind: kind in request.form for kind in NOTIFICATION_KINDS})
    db.session.commit()
    flash("Notification preferences saved.", "success")
    return redirect(url_for("settings.settings_page"))


@bp.post("/tokens")
@login_required
def create_token():
    name = request.form.get("name", "").strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        error = f"Give the token a name of 1 to {TOKEN_NAME_MAX} characters."
        return render_settings(422, token_error=error, token_name=name)
    token, plaintext = issue_token(current_user, name)
    db.session.commit()
    # Rendered, not redirected: the plaintext must never sit in the session or a URL.
    return render_settings(201, new_token=plaintext, new_token_name=token.name)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        revoke_token(token)
        db.session.commit()
    flash(f"Token “{token.name}” revoked: programs using it can no longer sign in.", "success")
    return redirect(url_for("settings.settings_page"))
