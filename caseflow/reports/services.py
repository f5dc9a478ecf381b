"""Writes of this area: goals and historical figures (flush, never commit)."""

from __future__ import annotations

import csv
import io
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from caseflow.auth.models import User
from caseflow.errors import Conflict, ValidationFailed
from caseflow.extensions import db
from caseflow.reports.metrics import forget_figures
from caseflow.reports.models import Goal, HistoricalFigure
from caseflow.reports.schemas import FigureSchema, GoalSchema

CSV_COLUMNS = ("metric", "period_start", "period_end", "value", "note")


def create_goal(data: dict[str, Any], *, actor: User | None) -> Goal:
    """Add a goal from raw input; 422 with per-field messages, 409 on a taken slug."""
    try:
        clean = GoalSchema().load(data)
    except ValidationError as exc:
        raise ValidationFailed(
            "Målet är inte giltigt. / The goal is not valid.", exc.messages
        ) from None
    if db.session.execute(sa.select(Goal.id).where(Goal.slug == clean["slug"])).first():
        raise Conflict("Det finns redan ett mål med den koden.", {"slug": ["Upptagen. / Taken."]})
    goal = Goal(**clean, created_by_id=actor.id if actor else None)
    db.session.add(goal)
    db.session.flush()
    return goal


def set_figure(data: dict[str, Any], *, actor: User | None) -> HistoricalFigure:
    """Enter (or correct) the figure of a metric for a whole period."""
    try:
        clean = FigureSchema().load(data)
    except ValidationError as exc:
        raise ValidationFailed(
            "Värdet är inte giltigt. / The figure is not valid.", exc.messages
        ) from None
    return _upsert_figure(clean, actor)


def _upsert_figure(clean: dict[str, Any], actor: User | None) -> HistoricalFigure:
    forget_figures()
    figure = db.session.execute(
        sa.select(HistoricalFigure).where(
            HistoricalFigure.metric == clean["metric"],
            HistoricalFigure.period_start == clean["period_start"],
            HistoricalFigure.period_end == clean["period_end"],
        )
    ).scalar_one_or_none()
    if figure is None:
        figure = HistoricalFigure(**clean, created_by_id=actor.id if actor else None)
        db.session.add(figure)
    else:
        figure.value, figure.note = clean["value"], clean["note"]
    db.session.flush()
    return figure


def import_figures_csv(text: str, *, actor: User | None) -> list[HistoricalFigure]:
    """Import ``metric,period_start,period_end,value[,note]`` rows: all of them or none.

    Errors are reported per line (``line 3``), so an admin can fix the file and retry.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(
            "CSV-filen saknar kolumner. / The CSV file lacks columns.", {"file": missing}
        )
    cleaned, errors = [], {}
    for line, row in enumerate(reader, start=2):
        try:
            cleaned.append(
                FigureSchema().load(
                    {k: (row.get(k) or "").strip() for k in CSV_COLUMNS if row.get(k) is not None}
                )
            )
        except ValidationError as exc:
            errors[f"line {line}"] = exc.messages
    if errors:
        raise ValidationFailed("CSV-filen har fel. / The CSV file has errors.", errors)
    if not cleaned:
        raise ValidationFailed("CSV-filen är tom. / The CSV file is empty.", {"file": ["tom"]})
    return [_upsert_figure(clean, actor) for clean in cleaned]
