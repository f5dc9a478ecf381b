"""Marshmallow schemas of the workflow and case-transition API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class WorkflowErrorSchema(Schema):
    code = fields.String()
    status = fields.Integer()
    message = fields.String()
    errors = fields.Dict()


class WorkflowSummarySchema(Schema):
    key = fields.String()
    version = fields.Integer()
    versions = fields.List(fields.Integer())
    title_sv = fields.String()
    title_en = fields.String()


class StateSchema(Schema):
    name = fields.String()
    label_sv = fields.String()
    label_en = fields.String()
    public_label_sv = fields.String()
    public_label_en = fields.String()
    initial = fields.Boolean()
    final = fields.Boolean()
    pauses_clock = fields.Boolean()
    open311_status = fields.String()


class TransitionDefSchema(Schema):
    name = fields.String()
    label_sv = fields.String()
    label_en = fields.String()
    sources = fields.List(fields.String())
    target = fields.String()
    roles = fields.List(fields.String())
    system_only = fields.Boolean()
    guards = fields.List(fields.String())
    effects = fields.List(fields.String())


class WorkflowSchema(WorkflowSummarySchema):
    initial_state = fields.String()
    final_states = fields.List(fields.String())
    states = fields.List(fields.Nested(StateSchema))
    transitions = fields.List(fields.Nested(TransitionDefSchema))
    mermaid = fields.String()


class WorkflowQuerySchema(Schema):
    version = fields.Integer(validate=validate.Range(min=1))


class AvailableTransitionSchema(Schema):
    name = fields.String()
    label_sv = fields.String()
    label_en = fields.String()
    target = fields.String()
    target_label_sv = fields.String()
    target_label_en = fields.String()
    guards = fields.List(fields.String())
    #: Request fields the guards need (``note``, ``message``).
    needs = fields.List(fields.String())
    #: Guards the case itself does not meet yet (``requires_assignee``).
    blocked_by = fields.List(fields.String())


class CaseTransitionsSchema(Schema):
    reference = fields.String()
    state = fields.String()
    state_label_sv = fields.String()
    state_label_en = fields.String()
    workflow = fields.Dict()
    transitions = fields.List(fields.Nested(AvailableTransitionSchema))


class TransitionRequestSchema(Schema):
    transition = fields.String(required=True, validate=validate.Length(min=1, max=50))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10000))
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10000))


class TransitionResultSchema(Schema):
    reference = fields.String()
    transition = fields.String()
    previous_state = fields.String()
    state = fields.String()
    state_label_sv = fields.String()
    state_label_en = fields.String()
    final = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)
    due_date = fields.Date(allow_none=True)
    clock_paused = fields.Boolean()


class DelayNoticeRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    expected_by = fields.Date(load_default=None, allow_none=True)


class DelayNoticeResultSchema(Schema):
    reference = fields.String()
    message_id = fields.Integer()
    delay_notice_sent_at = fields.DateTime()


class OverdueCaseSchema(Schema):
    reference = fields.String()
    title = fields.String()
    state = fields.String()
    due_date = fields.Date(allow_none=True)
    overdue_flagged_at = fields.DateTime(allow_none=True)
    unit = fields.String(attribute="unit.prefix")
    assignee_id = fields.Integer(allow_none=True)
