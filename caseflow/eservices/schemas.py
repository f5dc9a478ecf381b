"""Marshmallow schemas of the e-service admin API, including the form specification."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from caseflow.eservices.fields import FIELD_TYPES

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Små bokstäver, siffror och bindestreck."
)
FIELD_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="Små bokstäver, siffror och _.")
CONTACT_TYPES = {"name": "text", "email": "email", "phone": "phone", "personnummer": "personnummer"}
CONTACT_ROLES = tuple(CONTACT_TYPES)


class OptionSchema(Schema):
    value = fields.String(required=True, validate=validate.Length(min=1, max=100))
    label_sv = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label_en = fields.String(load_default="", validate=validate.Length(max=200))


class FieldValidationSchema(Schema):
    min_length = fields.Integer(validate=validate.Range(min=0))
    max_length = fields.Integer(validate=validate.Range(min=1, max=20000))
    pattern = fields.String(validate=validate.Length(max=200))
    min = fields.Raw()
    max = fields.Raw()
    accept = fields.List(fields.String(validate=validate.Length(min=1, max=10)))
    max_size = fields.Integer(validate=validate.Range(min=1, max=50 * 1024 * 1024))
    max_files = fields.Integer(validate=validate.Range(min=1, max=10))


class FieldSpecSchema(Schema):
    name = fields.String(required=True, validate=FIELD_NAME)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    label_sv = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    help_sv = fields.String(validate=validate.Length(max=500))
    help_en = fields.String(validate=validate.Length(max=500))
    required = fields.Boolean(load_default=False)
    options = fields.List(fields.Nested(OptionSchema))
    validation = fields.Nested(FieldValidationSchema)
    #: Which citizen contact detail the field fills (defaults by type: email, phone, ...).
    contact = fields.String(validate=validate.OneOf(CONTACT_ROLES))

    @validates_schema
    def _options_for_choices(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["type"] in ("select", "multiselect") and not data.get("options"):
            raise ValidationError("Ett val behöver alternativ.", "options")
        contact = data.get("contact")
        if contact and data["type"] != CONTACT_TYPES[contact]:
            # The value goes to the citizen record, checked and sized like its column.
            raise ValidationError(
                f"Kontaktuppgiften {contact} kräver fälttypen {CONTACT_TYPES[contact]}.", "contact"
            )
        pattern = (data.get("validation") or {}).get("pattern")
        if pattern:
            import re

            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValidationError("Ogiltigt reguljärt uttryck.", "validation") from exc


class FormSchema(Schema):
    fields_ = fields.List(
        fields.Nested(FieldSpecSchema),
        data_key="fields",
        attribute="fields",
        required=True,
        validate=validate.Length(min=1, max=50),
    )

    @validates_schema
    def _unique_names(self, data: dict[str, Any], **_kwargs: Any) -> None:
        names = [f["name"] for f in data.get("fields", [])]
        if len(names) != len(set(names)):
            raise ValidationError("Fältnamnen måste vara unika.", "fields")


class EServiceCreateSchema(Schema):
    slug = fields.String(required=True, validate=[validate.Length(min=2, max=100), SLUG])
    title_sv = fields.String(required=True, validate=validate.Length(min=1, max=200))
    title_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description_sv = fields.String(load_default="", validate=validate.Length(max=4000))
    description_en = fields.String(load_default="", validate=validate.Length(max=4000))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=16))
    workflow_key = fields.String(required=True, validate=validate.Length(min=1, max=50))
    handling_days = fields.Integer(load_default=10, validate=validate.Range(min=1, max=365))
    form = fields.Nested(FormSchema, required=True)


class DatedActionSchema(Schema):
    """``at`` defaults to now; a future date schedules the change."""

    at = fields.AwareDateTime(default_timezone=UTC, load_default=None)


class EServiceSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    title_sv = fields.String()
    title_en = fields.String()
    description_sv = fields.String()
    description_en = fields.String()
    unit = fields.Function(lambda e: e.unit.prefix)
    workflow_key = fields.String()
    handling_days = fields.Integer()
    form = fields.Dict()
    published_at = fields.AwareDateTime(allow_none=True)
    retired_at = fields.AwareDateTime(allow_none=True)
