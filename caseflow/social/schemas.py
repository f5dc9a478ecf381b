"""Marshmallow schemas of the social inbox API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from caseflow.db import MAX_ID
from caseflow.social.models import ItemStatus, ModerationKind, ModerationReason
from caseflow.social.queries import SOCIAL_CHANNELS


class InboxQuerySchema(Schema):
    channel = fields.String(validate=validate.OneOf(SOCIAL_CHANNELS))
    status = fields.String(
        load_default=ItemStatus.NEW.value,
        validate=validate.OneOf([*(s.value for s in ItemStatus), "all"]),
    )
    q = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))


class ModerationSchema(Schema):
    id = fields.Integer()
    action = fields.String()
    reason_code = fields.String()
    reason_text = fields.String(allow_none=True)
    actor_id = fields.Integer()
    created_at = fields.DateTime()
    archived_text = fields.String()
    platform_status = fields.String()
    platform_error = fields.String(allow_none=True)


class SocialItemSchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    kind = fields.String()
    external_id = fields.String()
    thread_key = fields.String()
    author_name = fields.String(allow_none=True)
    text = fields.String()
    posted_at = fields.DateTime()
    received_at = fields.DateTime()
    status = fields.String()
    moderation = fields.String(allow_none=True)
    case_id = fields.Integer(allow_none=True)
    case_reference = fields.String(allow_none=True)
    message_id = fields.Integer(allow_none=True)
    unit_id = fields.Integer(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    edited_at = fields.DateTime(allow_none=True)
    removed_on_platform_at = fields.DateTime(allow_none=True)


class InboxPageSchema(Schema):
    items = fields.List(fields.Nested(SocialItemSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class RegisterSchema(Schema):
    eservice = fields.String(metadata={"description": "E-service slug (gives unit and type)"})
    unit = fields.String(metadata={"description": "Unit prefix, e.g. KS"})
    title = fields.String(validate=validate.Length(max=300))


class AttachSchema(Schema):
    case = fields.String(required=True, metadata={"description": "Case reference"})


class ReplySchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=10_000))


class DismissSchema(Schema):
    note = fields.String(validate=validate.Length(max=500))


class ModerateSchema(Schema):
    reason = fields.String(
        required=True, validate=validate.OneOf([r.value for r in ModerationReason])
    )
    reason_text = fields.String(validate=validate.Length(max=2000))
    action = fields.String(
        load_default=ModerationKind.HIDE.value,
        validate=validate.OneOf([k.value for k in ModerationKind]),
    )


class TriageResultSchema(Schema):
    item = fields.Nested(SocialItemSchema)
    case_reference = fields.String(allow_none=True)
    message_id = fields.Integer(allow_none=True)
    delivery_status = fields.String(allow_none=True)
    moderation = fields.Nested(ModerationSchema, allow_none=True)


class SupervisionSchema(Schema):
    channel = fields.String()
    unreviewed = fields.Integer()
    oldest_unreviewed_at = fields.DateTime(allow_none=True)
    last_review_at = fields.DateTime(allow_none=True)
    moderated = fields.Integer()
