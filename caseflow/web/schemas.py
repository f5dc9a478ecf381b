"""Marshmallow schemas of the inbox filters and the case API (HTML views load them too)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from caseflow.db import MAX_ID
from caseflow.enums import Channel, Priority

VIEWS = ("mine", "queue", "units", "overdue", "all")
SORTS = ("newest", "oldest", "due", "activity")


class InboxQuerySchema(Schema):
    """The inbox filters; every one optional. Unknown parameters are ignored."""

    class Meta:
        unknown = "exclude"

    view = fields.String(load_default="units", validate=validate.OneOf(VIEWS))
    state = fields.String(validate=validate.Length(max=50))
    eservice = fields.String(validate=validate.Length(max=100))
    channel = fields.String(validate=validate.OneOf([c.value for c in Channel]))
    unit = fields.String(validate=validate.Length(max=16))
    assignee = fields.String(
        validate=validate.Regexp(r"^(me|none|\d{1,9})$", error="me, none eller ett id.")
    )
    priority = fields.String(validate=validate.OneOf([p.value for p in Priority]))
    overdue = fields.Boolean()
    opened_from = fields.Date()
    opened_to = fields.Date()
    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(load_default="newest", validate=validate.OneOf(SORTS))
    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class CaseRowSchema(Schema):
    reference = fields.String()
    reference_key = fields.String()
    title = fields.String()
    state = fields.String()
    state_label = fields.String()
    priority = fields.String()
    channel = fields.String()
    unit = fields.String()
    eservice = fields.String(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    assignee = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    due_date = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    secret = fields.Boolean()


class CaseListSchema(Schema):
    items = fields.List(fields.Nested(CaseRowSchema))
    next_cursor = fields.String(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class TimelineEntrySchema(Schema):
    kind = fields.String()
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    direction = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    delivery_status = fields.String(allow_none=True)
    public = fields.Boolean(allow_none=True)
    action = fields.String(allow_none=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    data = fields.Dict()


class CaseDetailSchema(CaseRowSchema):
    description = fields.String()
    working_days_left = fields.Integer(allow_none=True)
    duplicate_of = fields.String(allow_none=True)
    citizen = fields.Dict(allow_none=True)
    timeline = fields.List(fields.Nested(TimelineEntrySchema))


class MessageRequestSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    public = fields.Boolean(load_default=False)


class MessageResultSchema(Schema):
    id = fields.Integer()
    direction = fields.String()
    channel = fields.String()
    public = fields.Boolean()
    delivery_status = fields.String()
    created_at = fields.DateTime()


class AssignRequestSchema(Schema):
    #: A user id, or null to unassign (past ``MAX_ID`` a 422, not a database overflow).
    assignee_id = fields.Integer(
        required=True, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
    )


class DuplicateRequestSchema(Schema):
    main_reference = fields.String(required=True, validate=validate.Length(min=1, max=50))


class CaseResultSchema(Schema):
    reference = fields.String()
    state = fields.String()
    assignee_id = fields.Integer(allow_none=True)
    duplicate_of = fields.String(allow_none=True)
    priority = fields.String()
