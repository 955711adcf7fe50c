"""Search arguments and results."""

import marshmallow as ma

from feedserver.models import SEARCH_KINDS


class SearchArgsSchema(ma.Schema):
    q = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SEARCH_KINDS)),
        metadata={"description": "Only these kinds (repeat the parameter)"},
    )
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=50))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=1000))


class SearchHitSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "item, comment, record or user"})
    id = ma.fields.Integer(metadata={"description": "The id of the item, comment, record or user"})
    item_id = ma.fields.Integer(allow_none=True, metadata={"description": "For items and comments"})
    title = ma.fields.String(allow_none=True)
    text = ma.fields.String(allow_none=True, metadata={"description": "The start of the text"})


class SearchResultSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SearchHitSchema))
