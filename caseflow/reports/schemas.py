"""Validation of report queries, goals and historical figures (per-field messages)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from caseflow.reports.counting import CASE_METRICS, DIMENSIONS
from caseflow.reports.metrics import METRICS
from caseflow.reports.periods import GROUPS
from caseflow.usage.kinds import KNOWN_KINDS

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Små bokstäver, siffror och bindestreck."
)
USAGE_METRICS = (*KNOWN_KINDS, *CASE_METRICS, "dialogue")
#: A report covers at most this many days (ten years) so one request cannot run forever.
MAX_RANGE_DAYS = 3660


def _ordered(data: dict[str, Any], first: str, last: str) -> None:
    if data.get(first) and data.get(last) and data[last] < data[first]:
        raise ValidationError({last: ["Slutdatum före startdatum. / End before start."]})


class RangeSchema(Schema):
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)

    @validates_schema
    def _range(self, data: dict[str, Any], **_kw: Any) -> None:
        _ordered(data, "from_", "to")
        if (
            data.get("from_")
            and data.get("to")
            and (data["to"] - data["from_"]).days > MAX_RANGE_DAYS
        ):
            raise ValidationError(
                {"to": [f"Högst {MAX_RANGE_DAYS} dagar. / At most {MAX_RANGE_DAYS} days."]}
            )


class UsageQuerySchema(RangeSchema):
    metric = fields.String(
        required=True,
        validate=validate.OneOf(USAGE_METRICS, error="Okänt mått. / Unknown metric."),
    )
    group = fields.String(
        load_default="month", validate=validate.OneOf(GROUPS, error="day, week, month eller year.")
    )
    by = fields.String(
        load_default="all",
        validate=validate.OneOf(DIMENSIONS, error="all, eservice, channel eller unit."),
    )
    format = fields.String(load_default=None)


class CaseQuerySchema(RangeSchema):
    by = fields.String(
        load_default="all",
        validate=validate.OneOf(DIMENSIONS, error="all, eservice, channel eller unit."),
    )
    format = fields.String(load_default=None)


class GoalSchema(Schema):
    slug = fields.String(required=True, validate=[validate.Length(min=2, max=80), SLUG])
    title_sv = fields.String(required=True, validate=validate.Length(min=1, max=200))
    title_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description_sv = fields.String(load_default="", validate=validate.Length(max=5000))
    description_en = fields.String(load_default="", validate=validate.Length(max=5000))
    metric = fields.String(
        required=True,
        validate=validate.OneOf(sorted(METRICS), error="Okänt mått. / Unknown metric."),
    )
    params = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    baseline_start = fields.Date(required=True)
    baseline_end = fields.Date(required=True)
    target_start = fields.Date(required=True)
    target_end = fields.Date(required=True)
    target_change = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=-100, max=10000)
    )
    direction = fields.String(
        load_default="increase", validate=validate.OneOf(("increase", "decrease"))
    )
    public = fields.Boolean(load_default=True)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_kw: Any) -> None:
        _ordered(data, "baseline_start", "baseline_end")
        _ordered(data, "target_start", "target_end")
        start, base_end = data.get("target_start"), data.get("baseline_end")
        if start and base_end and start <= base_end:
            raise ValidationError(
                {
                    "target_start": [
                        "Målperioden ska börja efter basperioden. / "
                        "The target period must start after the baseline."
                    ]
                }
            )
        change, direction = data.get("target_change"), data.get("direction", "increase")
        if change is not None and (
            (direction == "increase" and change < 0) or (direction == "decrease" and change > 0)
        ):
            raise ValidationError(
                {
                    "target_change": [
                        "Förändringen går mot riktningen. / The change contradicts the direction."
                    ]
                }
            )


class FigureSchema(Schema):
    metric = fields.String(
        required=True,
        validate=validate.OneOf(sorted(METRICS), error="Okänt mått. / Unknown metric."),
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    value = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    note = fields.String(load_default="", validate=validate.Length(max=300))

    @validates_schema
    def _period(self, data: dict[str, Any], **_kw: Any) -> None:
        _ordered(data, "period_start", "period_end")


def default_range(data: dict[str, Any], today: date) -> tuple[date, date]:
    """Last twelve months up to today unless the query says otherwise."""
    last = data.get("to") or today
    first = data.get("from_") or (last - timedelta(days=364))
    return first, last
