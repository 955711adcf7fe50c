"""The JSON API under /api/v1, documented as OpenAPI at /api/v1/openapi.json."""

from flask import Flask, request
from flask_smorest import Api
from flask_smorest.spec.plugins import integerconverter2paramschema
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from feedserver.api.errors import ErrorSchema, http_error_response
from feedserver.api.text_guard import refuse_nul_characters


class FeedApi(Api):
    """flask-smorest's Api with our one error shape, for API paths."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        return http_error_response(error)


api = FeedApi()

# Ids are 32-bit on every backend; larger numbers in a URL are simply "not found".
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>` in routes: a positive database id, documented with its bounds."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def register_api(app: Flask) -> None:
    from feedserver.api import activitystreams, auth_tokens, feeds, follows, records, users

    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        },
    )
    app.before_request(refuse_nul_characters)
    app.url_map.converters["id"] = IdConverter
    api.init_app(app)
    api.register_converter(IdConverter, integerconverter2paramschema)
    for module in (auth_tokens, users, records, follows, feeds, activitystreams):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    from feedserver.api import (
        comments,
        groups,
        mentions,
        mutes,
        notifications,
        posts,
        search,
        topics,
    )

    for module in (posts, comments, mentions, topics, mutes, groups, notifications, search):
        api.register_blueprint(module.blp, url_prefix="/api/v1")

    from feedserver.api import inbound_urls, integrations, subscriptions, webhooks

    for module in (integrations, webhooks, subscriptions, inbound_urls):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    from feedserver.api import radar, visits

    for module in (visits, radar):
        api.register_blueprint(module.blp, url_prefix="/api/v1")

    @app.errorhandler(HTTPException)
    def _any_http_error(error: HTTPException):
        # Pages outside the API keep Flask's HTML errors; the API always answers JSON.
        if request.path.startswith("/api/"):
            return http_error_response(error)
        return error
