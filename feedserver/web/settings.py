"""Personal settings: API tokens (shown once at creation, revocable)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.auth.tokens import issue_token, revoke_token
from feedserver.extensions import db
from feedserver.models import ApiToken

bp = Blueprint("settings", __name__, url_prefix="/settings")
TOKEN_NAME_MAX = 100


def active_tokens(user_id: int) -> list[ApiToken]:
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    ).all()


def render_settings(status=200, **context):
    context.setdefault("token_name", "")
    return render_template(
        "settings.html", tokens=active_tokens(current_user.id), **context
    ), status


@bp.get("")
@login_required
def settings_page():
    return render_settings()


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
