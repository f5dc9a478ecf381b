"""Report API: goals, usage and case KPIs (unit leads, admins), goal and figure admin, and
the public open-data feed. Every report answers JSON or CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user
from marshmallow import Schema, ValidationError

from caseflow.auth.access import require_role
from caseflow.enums import Role
from caseflow.errors import ValidationFailed
from caseflow.extensions import csrf, db
from caseflow.reports import services
from caseflow.reports.case_kpis import COLUMNS as CASE_COLUMNS
from caseflow.reports.case_kpis import case_kpis
from caseflow.reports.goals import all_goals, goals_report
from caseflow.reports.output import respond, respond_json_items, wants_csv
from caseflow.reports.periods import today
from caseflow.reports.schemas import CaseQuerySchema, UsageQuerySchema, default_range
from caseflow.reports.usage_report import usage_report
from caseflow.usage.kinds import DIALOGUE_KINDS

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

REPORT_ROLES = (Role.ENHETSCHEF, Role.ADMIN)
GOAL_COLUMNS = (
    "slug",
    "title_sv",
    "title_en",
    "metric",
    "metric_kind",
    "unit",
    "direction",
    "target_change",
    "baseline_start",
    "baseline_end",
    "target_start",
    "target_end",
    "as_of",
    "baseline",
    "current",
    "target_value",
    "projected",
    "growth",
    "projected_growth",
    "progress",
    "status",
)
USAGE_COLUMNS = ("period", "period_start", "key", "label", "count")
#: Schemas hold no per-load state; building one costs more than loading a query with it.
_USAGE_QUERY = UsageQuerySchema()


def _query(schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as exc:
        raise ValidationFailed("Ogiltig fråga. / Invalid query.", exc.messages) from None


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed("Skicka ett JSON-objekt. / Send a JSON object.", {"json": ["?"]})
    return data


@bp.get("/reports/goals")
@require_role(*REPORT_ROLES)
def goals() -> Response:
    """Every goal with baseline, current, target, projection, growth, progress and status."""
    rows = [g.as_dict() for g in goals_report()]
    return respond(rows, GOAL_COLUMNS, "goals", {"as_of": today().isoformat()})


@bp.get("/open-data/goals")
def open_data_goals() -> Response:
    """The public goals' progress: aggregate figures only, no personal data."""
    rows = [g.as_dict() for g in goals_report(public_only=True)]
    response = respond(rows, GOAL_COLUMNS, "oppna-data-mal", {"as_of": today().isoformat()})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/reports/usage")
@require_role(*REPORT_ROLES)
def usage() -> Response:
    """``metric`` counted per ``group`` period and ``by`` dimension between ``from`` and ``to``."""
    query = _query(_USAGE_QUERY)
    first, last = default_range(query, today())
    metric = query["metric"]
    metrics = list(DIALOGUE_KINDS) if metric == "dialogue" else [metric]
    report = usage_report(metrics, first, last, by=query["by"], group=query["group"])
    meta = {
        "metric": metric,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "group": query["group"],
        "by": query["by"],
        "total": report.total,
    }
    if wants_csv():
        return respond(report.rows(), USAGE_COLUMNS, f"usage-{metric}", meta)
    return respond_json_items(report.items_json(), meta)


@bp.get("/reports/cases")
@require_role(*REPORT_ROLES)
def cases() -> Response:
    """Case KPIs of the cases the user may see (a unit lead: the lead's units)."""
    query = _query(CaseQuerySchema())
    first, last = default_range(query, today())
    rows = case_kpis(current_user, first, last, query["by"])
    if wants_csv():
        rows = [
            {
                **row,
                "avg_days_in_state": "; ".join(
                    f"{s}={d}" for s, d in row["avg_days_in_state"].items()
                ),
            }
            for row in rows
        ]
    meta = {"from": first.isoformat(), "to": last.isoformat(), "by": query["by"]}
    return respond(rows, CASE_COLUMNS, "cases", meta)


@bp.get("/goals")
@require_role(Role.ADMIN)
def list_goal_definitions() -> Response:
    return jsonify({"items": [_goal_json(g) for g in all_goals()]})


@bp.post("/goals")
@require_role(Role.ADMIN)
def create_goal() -> tuple[Response, int]:
    """Add a goal: metric, baseline and target periods, target change, direction."""
    goal = services.create_goal(_json_body(), actor=current_user)
    db.session.commit()
    return jsonify(_goal_json(goal)), 201


@bp.post("/reports/figures")
@require_role(Role.ADMIN)
def add_figures() -> tuple[Response, int]:
    """A historical figure as JSON, or many as CSV (``text/csv`` body or a ``file`` upload)."""
    upload = request.files.get("file")
    if upload is not None or request.mimetype == "text/csv":
        raw = upload.read() if upload is not None else request.get_data()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed("Filen ska vara UTF-8.", {"file": ["UTF-8"]}) from None
        figures = services.import_figures_csv(text, actor=current_user)
    else:
        figures = [services.set_figure(_json_body(), actor=current_user)]
    db.session.commit()
    return jsonify({"items": [_figure_json(f) for f in figures]}), 201


def _goal_json(goal: Any) -> dict[str, Any]:
    return {
        "slug": goal.slug,
        "title_sv": goal.title_sv,
        "title_en": goal.title_en,
        "metric": goal.metric,
        "params": goal.params,
        "baseline_start": goal.baseline_start.isoformat(),
        "baseline_end": goal.baseline_end.isoformat(),
        "target_start": goal.target_start.isoformat(),
        "target_end": goal.target_end.isoformat(),
        "target_change": goal.target_change,
        "direction": goal.direction,
        "public": goal.public,
    }


def _figure_json(figure: Any) -> dict[str, Any]:
    return {
        "metric": figure.metric,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "value": figure.value,
        "note": figure.note,
    }
