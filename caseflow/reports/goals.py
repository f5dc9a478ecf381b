"""Evaluate goals: baseline, current value, projection, growth, progress and status."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.reports import goal_math
from caseflow.reports.metrics import FLOW, METRICS, STOCK, metric_value
from caseflow.reports.models import Goal
from caseflow.reports.periods import today
from caseflow.reports.raw_days import one_reading
from caseflow.reports.sql import connection


@dataclass(frozen=True)
class GoalStatus:
    slug: str
    title_sv: str
    title_en: str
    metric: str
    metric_label_sv: str
    metric_label_en: str
    metric_kind: str
    unit: str
    direction: str
    target_change: float
    baseline_start: date
    baseline_end: date
    target_start: date
    target_end: date
    as_of: date
    baseline: float | None
    current: float | None
    target_value: float | None
    projected: float | None
    growth: float | None
    projected_growth: float | None
    progress: float | None
    status: str

    def as_dict(self) -> dict[str, Any]:
        """Every field, dates as ISO text (``asdict`` without its deep copy of each value:
        the fields are plain numbers, strings and dates)."""
        data = {name: getattr(self, name) for name in _FIELDS}
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value.isoformat()
        return data


_FIELDS = tuple(f.name for f in fields(GoalStatus))


#: A ``Goal`` or a row of the goals table's columns (what the report reads).
GoalLike = Goal | sa.Row[Any]


def evaluate(goal: GoalLike, as_of: date | None = None) -> GoalStatus:
    """Where ``goal`` stands on ``as_of`` (today by default)."""
    as_of = as_of or today()
    metric = METRICS[goal.metric]
    params = goal.params or {}
    baseline = metric_value(goal.metric, goal.baseline_start, goal.baseline_end, params)
    current = projected = None
    if as_of >= goal.target_start:
        until = min(as_of, goal.target_end)
        current = metric_value(goal.metric, goal.target_start, until, params)
        projected = current
        if current is not None and as_of < goal.target_end:
            if metric.kind == FLOW:
                projected = goal_math.project_flow(
                    current, goal.target_start, goal.target_end, as_of
                )
            elif metric.kind == STOCK and baseline is not None:
                projected = goal_math.project_stock(
                    baseline, goal.baseline_end, current, as_of, goal.target_end
                )
    return GoalStatus(
        slug=goal.slug,
        title_sv=goal.title_sv,
        title_en=goal.title_en,
        metric=goal.metric,
        metric_label_sv=metric.label_sv,
        metric_label_en=metric.label_en,
        metric_kind=metric.kind,
        unit=metric.unit,
        direction=goal.direction,
        target_change=goal.target_change,
        baseline_start=goal.baseline_start,
        baseline_end=goal.baseline_end,
        target_start=goal.target_start,
        target_end=goal.target_end,
        as_of=as_of,
        baseline=baseline,
        current=current,
        target_value=_round(goal_math.target_value(baseline, goal.target_change)),
        projected=_round(projected),
        growth=goal_math.growth(baseline, current),
        projected_growth=goal_math.growth(baseline, projected),
        progress=goal_math.progress(baseline, projected, goal.target_change),
        status=goal_math.status(
            baseline=baseline,
            current=current,
            projected=projected,
            target_change=goal.target_change,
            direction=goal.direction,
            target_start=goal.target_start,
            target_end=goal.target_end,
            as_of=as_of,
        ),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else goal_math.one_decimal(value)


def all_goals(*, public_only: bool = False) -> list[Goal]:
    stmt = sa.select(Goal).order_by(Goal.position, Goal.id)
    if public_only:
        stmt = stmt.where(Goal.public.is_(True))
    return list(db.session.execute(stmt).scalars())


_goals = Goal.__table__.c
#: The report's read of the goals: table columns, plain rows (no ORM objects to build).
_GOAL_ROWS = sa.select(*_goals).order_by(_goals.position, _goals.id)
_PUBLIC_GOAL_ROWS = _GOAL_ROWS.where(_goals.public.is_(True))


def goals_report(*, public_only: bool = False, as_of: date | None = None) -> list[GoalStatus]:
    goals = connection().execute(_PUBLIC_GOAL_ROWS if public_only else _GOAL_ROWS).all()
    today_metrics = {m for goal in goals if _counts_today(goal, as_of) for m in _usage(goal)}
    with one_reading(today_metrics=today_metrics):
        return [evaluate(goal, as_of) for goal in goals]


def _usage(goal: GoalLike) -> tuple[str, ...]:
    return METRICS[goal.metric].usage


def _counts_today(goal: GoalLike, as_of: date | None) -> bool:
    """Whether ``evaluate`` may count today's raw events or cases for ``goal``."""
    now = today()
    until = min(as_of or now, goal.target_end)
    return goal.baseline_start <= now <= goal.baseline_end or goal.target_start <= now <= until
