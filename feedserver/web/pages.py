"""The home feed ("What I follow"), the company feed, and one item rendered on its own."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from feedserver.extensions import db
from feedserver.models import RecordType
from feedserver.web.feed_views import (
    FEED_VERBS,
    company_page,
    home_page,
    inbox_position,
    item_for_viewer,
    item_matches,
)
from feedserver.web.follow_views import followed_subjects, groups_of

bp = Blueprint("pages", __name__)
# "newest" is the default order; "activity" lets a new comment bump an item to the top.
FEED_SORTS = {"activity": "Latest activity"}


def feed_filters() -> dict:
    """The verb, record type and sort from the query string, unknown values dropped."""
    verb = request.args.get("verb") or None
    record_type = request.args.get("record_type") or None
    sort = request.args.get("sort")
    return {
        "verb": verb if verb in FEED_VERBS else None,
        "record_type": record_type
        if record_type and db.session.get(RecordType, record_type)
        else None,
        "sort": sort if sort in FEED_SORTS else None,
    }


def record_types() -> list[RecordType]:
    return db.session.scalars(db.select(RecordType).order_by(RecordType.label)).all()


def render_feed(template: str, page, **context):
    """A full page, or only the next page of items when htmx asks for more."""
    more_url = None
    if page.next_cursor:
        args = {**request.args.to_dict(), "cursor": page.next_cursor}
        more_url = url_for(request.endpoint, **(request.view_args or {}), **args)
    if request.headers.get("HX-Request") and request.args.get("cursor"):
        return render_template("_feed_page.html", page=page, more_url=more_url, **context)
    return render_template(template, page=page, more_url=more_url, **context)


@bp.get("/")
@login_required
def home():
    return filtered_feed_page(
        "home.html",
        home_page,
        followed=followed_subjects(current_user),
        my_groups=groups_of(current_user),
    )


@bp.get("/company")
@login_required
def company():
    return filtered_feed_page("company.html", company_page)


def filtered_feed_page(template: str, load_page, **context):
    """A feed page with its filters, sort and live-update position, for the signed-in user."""
    # The position is read before the feed, so nothing falls between page load and connect.
    last_seq = inbox_position(current_user)
    filters = feed_filters()
    page = load_page(current_user, request.args.get("cursor"), **filters)
    return render_feed(
        template,
        page,
        last_seq=last_seq,
        filters=filters,
        verbs=FEED_VERBS,
        sorts=FEED_SORTS,
        record_types=record_types(),
        live_filter={k: v for k, v in filters.items() if v},
        **context,
    )


@bp.get("/fragments/items/<int:item_id>")
@login_required
def item_fragment(item_id: int):
    """One item as HTML for this viewer; 204 when it does not belong on the asking page."""
    item = item_for_viewer(current_user, item_id)
    if item is None:
        abort(404)
    wanted = {
        "verb": request.args.get("verb") or None,
        "record_type": request.args.get("record_type") or None,
        "record_id": request.args.get("record_id", type=int),
        "user_id": request.args.get("user_id", type=int),
    }
    if not item_matches(item, **wanted):
        return "", 204
    return render_template("_feed_item.html", item=item, live=True)


@bp.get("/items/<int:item_id>")
@login_required
def item_page(item_id: int):
    item = item_for_viewer(current_user, item_id)
    if item is None:
        abort(404)
    return render_template("item.html", item=item)
