"""Follow and unfollow buttons: a form post that answers with the refreshed follow panel."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.extensions import db
from feedserver.feed.follows import FollowError, follow, unfollow
from feedserver.models import FOLLOWABLE_KINDS
from feedserver.web.follow_views import follow_panel

bp = Blueprint("follow_buttons", __name__)


def _answer(kind: str, subject_id: int):
    if request.headers.get("HX-Request"):
        panel = follow_panel(current_user, kind, subject_id)
        return render_template("_follow_panel.html", follow=panel)
    if kind == "record":
        return redirect(url_for("record_pages.record_page", record_id=subject_id))
    return redirect(url_for("people.person_page", user_id=subject_id))


@bp.post("/follows/<string:kind>/<int:subject_id>")
@login_required
def follow_subject(kind: str, subject_id: int):
    if kind not in FOLLOWABLE_KINDS:
        abort(404)
    try:
        follow(current_user, kind, subject_id)
    except FollowError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    return _answer(kind, subject_id)


@bp.post("/follows/<string:kind>/<int:subject_id>/delete")
@login_required
def unfollow_subject(kind: str, subject_id: int):
    if kind not in FOLLOWABLE_KINDS:
        abort(404)
    unfollow(current_user, kind, subject_id)
    db.session.commit()
    return _answer(kind, subject_id)
