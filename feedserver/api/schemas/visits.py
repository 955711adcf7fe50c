"""Client visits and the team radar as the API takes and shows them."""

import marshmallow as ma

from feedserver.api.schemas.common import (
    ChangeSchema,
    PageArgsSchema,
    RecordBriefSchema,
    UserBriefSchema,
    id_field,
)
from feedserver.models import VISIT_STATUSES, VISIT_VISIBILITIES


class JsonBoolean(ma.fields.Boolean):
    """A JSON true or false, nothing else (0 and 1 are numbers, "true" is a string)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


_visibility = ma.fields.String(
    validate=ma.validate.OneOf(VISIT_VISIBILITIES),
    metadata={"description": "team (default), company, or private (you and admins only)"},
)
_place = ma.fields.String(validate=ma.validate.Length(min=1, max=255))


class VisitCreateSchema(ma.Schema):
    account_id = id_field(required=True)
    deal_id = id_field(allow_none=True, metadata={"description": "An opportunity of the account"})
    contacts = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(min=1, max=255)),
        validate=ma.validate.Length(max=50),
        metadata={"description": "The people met"},
    )
    purpose = ma.fields.String(validate=ma.validate.Length(max=255))
    notes = ma.fields.String(validate=ma.validate.Length(max=10000))
    visibility = _visibility
    visited_at = ma.fields.AwareDateTime(
        metadata={"description": "When it happened (default now; later means planned)"}
    )
    check_in_at = ma.fields.AwareDateTime(
        metadata={"description": "Checked in on site at this time (the visit is under way)"}
    )
    place = _place


class VisitUpdateSchema(ChangeSchema):
    visibility = _visibility


class CheckInSchema(ma.Schema):
    at = ma.fields.AwareDateTime(metadata={"description": "Arrival (default now)"})
    place = _place


class CheckOutSchema(ma.Schema):
    at = ma.fields.AwareDateTime(metadata={"description": "Departure (default now)"})
    outcome = ma.fields.String(validate=ma.validate.Length(min=1, max=255))


class VisitSchema(ma.Schema):
    id = ma.fields.Integer()
    rep = ma.fields.Nested(UserBriefSchema, allow_none=True)
    account = ma.fields.Nested(RecordBriefSchema, allow_none=True)
    deal = ma.fields.Nested(RecordBriefSchema, allow_none=True)
    visibility = ma.fields.String(validate=ma.validate.OneOf(VISIT_VISIBILITIES))
    status = ma.fields.String(allow_none=True, metadata={"description": ", ".join(VISIT_STATUSES)})
    purpose = ma.fields.String(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(allow_none=True)
    contacts = ma.fields.List(ma.fields.String())
    visited_at = ma.fields.DateTime()
    checked_in_at = ma.fields.DateTime(allow_none=True)
    checked_out_at = ma.fields.DateTime(allow_none=True)
    place = ma.fields.String(allow_none=True)


class RadarArgsSchema(ma.Schema):
    team = id_field(
        strict=False, metadata={"description": "A manager: narrow to them and everyone below"}
    )
    stale_days = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=3650),
        metadata={"description": "Key accounts not visited in this many days (RADAR_STALE_DAYS)"},
    )


class RepCountSchema(ma.Schema):
    rep = ma.fields.Nested(UserBriefSchema)
    this_week = ma.fields.Integer()
    last_week = ma.fields.Integer()


class AccountTodaySchema(ma.Schema):
    account = ma.fields.Nested(RecordBriefSchema)
    visits = ma.fields.Integer()
    reps = ma.fields.List(ma.fields.Nested(UserBriefSchema))
    last_visit_at = ma.fields.DateTime()


class StaleAccountSchema(ma.Schema):
    account = ma.fields.Nested(RecordBriefSchema)
    last_visit_at = ma.fields.DateTime(allow_none=True)
    days_since = ma.fields.Integer(allow_none=True, metadata={"description": "null: never"})


class RadarSchema(ma.Schema):
    team = ma.fields.Nested(UserBriefSchema)
    stale_days = ma.fields.Integer()
    now = ma.fields.DateTime()
    week_start = ma.fields.DateTime(metadata={"description": "Monday 00:00 UTC of this week"})
    visits = ma.fields.List(ma.fields.Nested(VisitSchema))
    counts = ma.fields.List(ma.fields.Nested(RepCountSchema))
    visited_today = ma.fields.List(ma.fields.Nested(AccountTodaySchema))
    stale_accounts = ma.fields.List(ma.fields.Nested(StaleAccountSchema))


class VisitSharingSchema(ma.Schema):
    share_visits_with_managers = JsonBoolean(
        required=True,
        metadata={"description": "Whether the manager chain gets this person's visits"},
    )


class VisitSharingStateSchema(VisitSharingSchema):
    user = ma.fields.Nested(UserBriefSchema)


class TeamFeedArgsSchema(PageArgsSchema):
    team = id_field(
        strict=False, metadata={"description": "A manager: them and everyone below (default you)"}
    )
    record_type = ma.fields.String(
        validate=ma.validate.Length(min=1, max=40),
        metadata={"description": "Only items about this record type, e.g. visit or opportunity"},
    )
