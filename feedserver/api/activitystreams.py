"""Feed items as W3C Activity Streams 2.0, for integrators who speak that vocabulary."""

import marshmallow as ma
from flask import Response, json, url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort

from feedserver.api.access import protect
from feedserver.api.pagination import page_or_400
from feedserver.api.presenters import item_dicts
from feedserver.api.schemas.common import PageArgsSchema
from feedserver.api.schemas.feed import FeedItemSchema
from feedserver.extensions import db
from feedserver.feed.queries import home_feed
from feedserver.feed.visibility import can_see
from feedserver.models import FeedItem, InboxEntry

AS2_CONTEXT = "https://www.w3.org/ns/activitystreams"
AS2_MEDIA_TYPE = "application/activity+json"
# AS2 activity types for our verbs; anything else is a plain Activity.
ACTIVITY_TYPES = {
    "create": "Create",
    "update": "Update",
    "delete": "Delete",
    "undelete": "Undo",
    "post": "Create",
    "share": "Announce",
}

blp = Blueprint("activities", __name__, description="Feed items as Activity Streams 2.0")
protect(blp)
_dump = FeedItemSchema().dump


class ActivitySchema(ma.Schema):
    context = ma.fields.Raw(data_key="@context")
    id = ma.fields.String()
    type = ma.fields.String()
    # References are built by _reference(); Raw keeps them exactly as built.
    actor = ma.fields.Raw(allow_none=True)
    object = ma.fields.Raw(allow_none=True)
    target = ma.fields.Raw(allow_none=True)
    published = ma.fields.String()
    summary = ma.fields.String()
    content = ma.fields.String(allow_none=True)
    changes = ma.fields.List(ma.fields.Raw(), data_key="fs:changes")


class ActivityPageSchema(ma.Schema):
    context = ma.fields.Raw(data_key="@context")
    id = ma.fields.String()
    type = ma.fields.String()
    orderedItems = ma.fields.List(ma.fields.Nested(ActivitySchema))  # noqa: N815 (AS2 name)
    next = ma.fields.String(allow_none=True)


def _as2_response(schema: ma.Schema, data: dict) -> Response:
    # flask-smorest documents the media type; the body must carry it too.
    return Response(json.dumps(schema.dump(data)), mimetype=AS2_MEDIA_TYPE)


def _reference(ref: dict | None) -> dict | None:
    if not ref:
        return None
    if ref["kind"] == "user":
        url = url_for("users.get_user", user_id=ref["id"], _external=True)
        return {"type": "Person", "id": url, "name": ref.get("name")}
    if ref["kind"] == "record":
        url = url_for("records.get_record", record_id=ref["id"], _external=True)
        return {
            "type": "Object",
            "id": url,
            "name": ref.get("name"),
            "fs:recordType": ref.get("type"),
        }
    return {
        "type": "Object",
        "id": f"urn:feedserver:{ref['kind']}:{ref['id']}",
        "name": ref.get("name"),
    }


def as_activity(data: dict) -> dict:
    """One item (in the API's JSON shape) as an AS2 Activity."""
    actor = data.get("actor")
    return {
        "context": AS2_CONTEXT,
        "id": url_for("activities.get_activity", item_id=data["id"], _external=True),
        "type": ACTIVITY_TYPES.get(data["verb"], "Activity"),
        "actor": _reference({"kind": "user", **actor}) if actor else None,
        "object": _reference(data.get("object")),
        "target": _reference(data.get("target")),
        "published": data["published"],
        "summary": data["summary"],
        "content": data.get("body_html") or data.get("body"),
        "changes": data.get("changes") or [],
    }


@blp.get("/activities/<id:item_id>")
@blp.response(200, ActivitySchema, content_type=AS2_MEDIA_TYPE)
def get_activity(item_id):
    """One feed item as an Activity Streams 2.0 activity."""
    item = db.session.get(FeedItem, item_id)
    if item is None or not can_see(current_user, item):
        abort(404, message=f"activity {item_id} not found")
    return _as2_response(ActivitySchema(), as_activity(_dump(item_dicts([item])[0])))


@blp.get("/activities")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ActivityPageSchema, content_type=AS2_MEDIA_TYPE)
def list_activities(args):
    """My home feed as an Activity Streams OrderedCollectionPage, newest first."""
    page = page_or_400(home_feed(current_user), InboxEntry.seq, args)
    items = [item for _, item in page.rows]
    next_url = (
        url_for(
            "activities.list_activities",
            cursor=page.next_cursor,
            limit=args["limit"],
            _external=True,
        )
        if page.next_cursor
        else None
    )
    page_body = {
        "context": AS2_CONTEXT,
        "id": url_for("activities.list_activities", _external=True),
        "type": "OrderedCollectionPage",
        "orderedItems": [as_activity(d) for d in _dump(item_dicts(items), many=True)],
        "next": next_url,
    }
    return _as2_response(ActivityPageSchema(), page_body)
