"""Posts, comments, likes, polls, bookmarks, mutes and mentions as the API takes and shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import PageArgsSchema, UserBriefSchema, id_field
from feedserver.api.schemas.feed import FeedItemSchema
from feedserver.api.schemas.visits import JsonBoolean

_body = ma.fields.String(
    required=True,
    validate=ma.validate.Length(max=20_000),
    metadata={"description": "Markdown; mention with @[Name](user:7), tag with #topic"},
)


class TargetSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["user", "record", "group"]))
    id = id_field(required=True)


class PollCreateSchema(ma.Schema):
    choices = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=200)), required=True)


class PostCreateSchema(ma.Schema):
    body = _body
    target = ma.fields.Nested(
        TargetSchema, metadata={"description": "Where to post; default: my own profile"}
    )
    question = JsonBoolean(load_default=False)
    poll = ma.fields.Nested(PollCreateSchema)


class PostUpdateSchema(ma.Schema):
    body = _body


class ShareSchema(ma.Schema):
    to = ma.fields.String(required=True, validate=ma.validate.OneOf(["followers", "group"]))
    group_id = id_field(metadata={"description": "With to=group: the group to share into"})
    body = ma.fields.String(validate=ma.validate.Length(max=20_000))

    @ma.validates_schema
    def _group_needs_id(self, data, **kwargs):
        if data.get("to") == "group" and "group_id" not in data:
            raise ma.ValidationError("give the group to share into", "group_id")


class CommentCreateSchema(ma.Schema):
    body = _body


class CommentSchema(ma.Schema):
    id = ma.fields.Integer()
    item_id = ma.fields.Integer()
    author = ma.fields.Nested(UserBriefSchema, allow_none=True)
    body = ma.fields.String()
    body_html = ma.fields.String()
    like_count = ma.fields.Integer()
    liked_by_me = ma.fields.Boolean()
    created_at = ma.fields.String(metadata={"description": "ISO 8601"})
    edited_at = ma.fields.String(allow_none=True, metadata={"description": "ISO 8601"})


class CommentPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommentSchema))
    next_cursor = ma.fields.String(allow_none=True)


class LikeStateSchema(ma.Schema):
    liked = ma.fields.Boolean()
    like_count = ma.fields.Integer()


class LikerPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserBriefSchema))
    next_cursor = ma.fields.String(allow_none=True)


class VoteSchema(ma.Schema):
    choice_id = id_field(required=True)


class BestAnswerSchema(ma.Schema):
    comment_id = id_field(required=True)


class MuteRequestSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["item", "record", "user"]))
    id = id_field(required=True)


class MuteSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(attribute="subject_kind")
    subject_id = ma.fields.Integer()
    created_at = ma.fields.DateTime()


class MutePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MuteSchema))
    next_cursor = ma.fields.String(allow_none=True)


class ItemPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FeedItemSchema))
    next_cursor = ma.fields.String(allow_none=True)


class SuggestArgsSchema(ma.Schema):
    q = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    limit = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=25))


class SuggestionSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "user or group"})
    id = ma.fields.Integer()
    name = ma.fields.String()
    detail = ma.fields.String(allow_none=True, metadata={"description": "Title or group kind"})
    mention = ma.fields.String(metadata={"description": "The text to insert, @[Name](user:7)"})


class SuggestionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema))


class TopicSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    uses = ma.fields.Integer(metadata={"description": "Items in the trending window"})


class TopicListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TopicSchema))


class TrendingArgsSchema(ma.Schema):
    days = ma.fields.Integer(load_default=7, validate=ma.validate.Range(min=1, max=90))
    limit = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=50))


class BookmarkListArgsSchema(PageArgsSchema):
    pass
