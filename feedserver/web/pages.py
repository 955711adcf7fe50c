"""The feed pages people use in a browser."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from feedserver.api.presenters import inbox_payloads
from feedserver.extensions import db
from feedserver.feed.queries import home_feed

bp = Blueprint("pages", __name__)


@bp.get("/")
@login_required
def home():
    rows = db.session.execute(home_feed(current_user).limit(30)).all()
    return render_template("home.html", items=inbox_payloads([tuple(r) for r in rows]))
