"""A person's page: title, department, manager, direct reports, followers, profile feed."""

import sqlalchemy as sa
from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from feedserver.extensions import db
from feedserver.models import User
from feedserver.web.feed_views import inbox_position, profile_page_feed
from feedserver.web.follow_views import follow_panel
from feedserver.web.pages import render_feed

bp = Blueprint("people", __name__)


@bp.get("/people/<int:user_id>")
@login_required
def person_page(user_id: int):
    last_seq = inbox_position(current_user)
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    reports = db.session.scalars(
        sa.select(User)
        .where(User.manager_id == person.id, User.active.is_(True))
        .order_by(User.name)
    ).all()
    page = profile_page_feed(current_user, person.id, request.args.get("cursor"))
    return render_feed(
        "person.html",
        page,
        last_seq=last_seq,
        person=person,
        reports=reports,
        follow=follow_panel(current_user, "user", person.id),
        live_filter={"user_id": person.id},
    )
