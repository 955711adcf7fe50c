"""Feed items as the API (and live pushes) show them."""

import marshmallow as ma

from feedserver.api.schemas.common import MAX_SEQ, PageArgsSchema, UserBriefSchema, id_field


class FieldChangeSchema(ma.Schema):
    field = ma.fields.String()
    old = ma.fields.Raw(allow_none=True)
    new = ma.fields.Raw(allow_none=True)


class ReferenceSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "record or user"})
    id = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)
    type = ma.fields.String(allow_none=True, metadata={"description": "Record type, for records"})


class PollChoiceSchema(ma.Schema):
    id = ma.fields.Integer()
    label = ma.fields.String()
    votes = ma.fields.Integer()


class PollSchema(ma.Schema):
    choices = ma.fields.List(ma.fields.Nested(PollChoiceSchema))
    total_votes = ma.fields.Integer()


class ViewerStateSchema(ma.Schema):
    liked = ma.fields.Boolean()
    bookmarked = ma.fields.Boolean()
    vote = ma.fields.Integer(allow_none=True, metadata={"description": "My poll choice id"})


class SharedItemSchema(ma.Schema):
    """A feed item's fields shared by everyone (what a share embeds)."""

    id = ma.fields.Integer()
    verb = ma.fields.String()
    actor = ma.fields.Nested(UserBriefSchema, allow_none=True)
    object = ma.fields.Nested(ReferenceSchema, allow_none=True)
    target = ma.fields.Nested(ReferenceSchema, allow_none=True)
    record_type = ma.fields.String(allow_none=True)
    published = ma.fields.DateTime()
    body = ma.fields.String(allow_none=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChangeSchema))
    summary = ma.fields.String(metadata={"description": "One plain-text line describing it"})
    source = ma.fields.String()
    edited_at = ma.fields.DateTime(allow_none=True)
    body_html = ma.fields.String(allow_none=True, metadata={"description": "Sanitised HTML"})
    group = ma.fields.Nested(ReferenceSchema, allow_none=True)
    comment_count = ma.fields.Integer()
    like_count = ma.fields.Integer()
    last_activity_at = ma.fields.DateTime()
    poll = ma.fields.Nested(PollSchema, allow_none=True)
    best_answer_comment_id = ma.fields.Integer(allow_none=True)


class FeedItemSchema(SharedItemSchema):
    shared = ma.fields.Nested(
        SharedItemSchema, allow_none=True, metadata={"description": "For shares: the shared item"}
    )
    viewer = ma.fields.Nested(
        ViewerStateSchema, metadata={"description": "Only in API answers: my own state"}
    )


class InboxItemSchema(FeedItemSchema):
    seq = ma.fields.Integer(metadata={"description": "Your inbox position; strictly increasing"})
    read_at = ma.fields.DateTime(allow_none=True)


class FeedPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FeedItemSchema))
    next_cursor = ma.fields.String(allow_none=True)


class HomeFeedPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InboxItemSchema))
    next_cursor = ma.fields.String(allow_none=True)
    has_more = ma.fields.Boolean()


class FeedArgsSchema(PageArgsSchema):
    verb = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    record_type = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    kind = ma.fields.String(
        load_default="all",
        validate=ma.validate.OneOf(["all", "posts", "changes"]),
        metadata={"description": "posts (posts, questions, shares) or changes (record updates)"},
    )
    group_id = id_field(strict=False, metadata={"description": "Only items in this group"})
    sort = ma.fields.String(
        load_default="newest",
        validate=ma.validate.OneOf(["newest", "activity"]),
        metadata={"description": "activity: latest comment first (not with after_seq)"},
    )


class HomeFeedArgsSchema(FeedArgsSchema):
    after_seq = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=MAX_SEQ),
        metadata={"description": "Catch up: items after this seq, oldest first"},
    )


class FollowRequestSchema(ma.Schema):
    kind = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["user", "record", "topic", "group"])
    )
    id = id_field(required=True)


class FollowSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(attribute="subject_kind")
    subject = ma.fields.Nested(ReferenceSchema)
    created_at = ma.fields.DateTime()


class FollowPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FollowSchema))
    next_cursor = ma.fields.String(allow_none=True)


class FollowListArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=ma.validate.OneOf(["user", "record", "topic", "group"]))
