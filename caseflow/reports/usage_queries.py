"""Read counts over a date range: rollups for completed days, raw events for the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import g

from caseflow.extensions import db
from caseflow.reports.counting import DimensionCounts, by_dimension, day_cells
from caseflow.reports.models import RollupRun, UsageRollup
from caseflow.reports.periods import period_start, today

#: (period start, dimension key) -> count
Series = Counter[tuple[date, str]]
ROLLED_KEY = "caseflow_rolled_up_days"


def inline(value: Any, *, expanding: bool = False) -> sa.BindParameter[Any]:
    """A parameter rendered into the SQL text.

    psycopg prepares a statement after a few executions and PostgreSQL may then pick a generic
    plan that ignores the date range (a sequential scan of every rollup); with the values in
    the text each report gets the plan for its own range. Only dates, validated metric names
    and dimension names are inlined, never user text.
    """
    return sa.bindparam(None, value, expanding=expanding, literal_execute=True)


def period_expr(group: str) -> sa.ColumnElement[Any]:
    """The first day of the ``group`` period of a rollup's day, computed in SQL.

    Rollup days are already Swedish calendar days, so truncating them is exact.
    """
    day = UsageRollup.day
    if group == "day":
        return day
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(group, day), sa.Date)
    modifiers = {
        "week": ("weekday 0", "-6 days"),  # the Monday of the ISO week
        "month": ("start of month",),
        "year": ("start of year",),
    }[group]
    return sa.type_coerce(sa.func.date(day, *modifiers), sa.Date)


def usage_series(
    metrics: Sequence[str], first: date, last: date, *, by: str = "all", group: str = "day"
) -> Series:
    """Counts of ``metrics`` (summed) per ``group`` period and ``by`` key, ``first``..``last``."""
    out: Series = Counter()
    if last < first or not metrics:
        return out
    period = period_expr(group).label("period")
    stmt = (
        sa.select(period, UsageRollup.key, sa.func.sum(UsageRollup.count))
        .where(
            UsageRollup.metric.in_(inline(list(metrics), expanding=True)),
            UsageRollup.dimension == inline(by),
            UsageRollup.day >= inline(first),
            UsageRollup.day <= inline(last),
        )
        .group_by(period, UsageRollup.key)
    )
    for start, key, n in db.session.execute(stmt):
        if isinstance(start, str):
            start = date.fromisoformat(start)
        out[(start, key)] += int(n)
    for day in missing_days(first, last):
        for (metric, dimension, key), n in raw_day(day, metrics).items():
            if dimension == by and metric in metrics:
                out[(period_start(day, group), key)] += n
    return out


_raw_days: ContextVar[dict[date, DimensionCounts] | None] = ContextVar("raw_days", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Read each raw day (today) once for every metric inside this block.

    A report that asks several metrics of today (the goals report, the dashboard) then costs
    one scan of today's events and cases instead of one per metric.
    """
    token = _raw_days.set({})
    try:
        yield
    finally:
        _raw_days.reset(token)


def raw_day(day: date, metrics: Sequence[str]) -> DimensionCounts:
    """Counts of a day without a rollup, straight from events and cases."""
    cache = _raw_days.get()
    if cache is None:
        return by_dimension(day_cells(day, metrics))
    if day not in cache:
        cache[day] = by_dimension(day_cells(day))
    return cache[day]


def rolled_up_days() -> frozenset[date]:
    """Every completed rollup day, read once per app context (the rollup clears it)."""
    cached = g.get(ROLLED_KEY)
    if cached is None:
        cached = frozenset(db.session.execute(sa.select(RollupRun.day)).scalars())
        setattr(g, ROLLED_KEY, cached)
    return cached


def forget_rolled_up_days() -> None:
    g.pop(ROLLED_KEY, None)


def missing_days(first: date, last: date) -> list[date]:
    """Days up to today in the range that have no completed rollup (at least today).

    Days before the first rolled-up day hold no data: the rollup job starts at the first
    event or case, so they are not read raw one by one (a 2010 baseline costs nothing).
    """
    last = min(last, today())
    rolled = rolled_up_days()
    if rolled:
        first = max(first, min(rolled))
    out = []
    d = first
    while d <= last:
        if d not in rolled:
            out.append(d)
        d += timedelta(days=1)
    return out


def metric_totals(metrics: Sequence[str], first: date, last: date) -> Counter[str]:
    """Each metric's total over the range, in one rollup query plus the raw days."""
    out: Counter[str] = Counter()
    if last < first or not metrics:
        return out
    stmt = (
        sa.select(UsageRollup.metric, sa.func.sum(UsageRollup.count))
        .where(
            UsageRollup.metric.in_(inline(list(metrics), expanding=True)),
            UsageRollup.dimension == inline("all"),
            UsageRollup.day >= inline(first),
            UsageRollup.day <= inline(last),
        )
        .group_by(UsageRollup.metric)
    )
    for metric, n in db.session.execute(stmt):
        out[metric] += int(n)
    for day in missing_days(first, last):
        for (metric, dimension, _key), n in raw_day(day, metrics).items():
            if dimension == "all" and metric in metrics:
                out[metric] += n
    return out


def total(metrics: Sequence[str], first: date, last: date) -> int:
    return sum(usage_series(metrics, first, last).values())


def totals_by(metrics: Sequence[str], first: date, last: date, by: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for (_period, key), n in usage_series(metrics, first, last, by=by, group="year").items():
        out[key] += n
    return out


def daily(metrics: Sequence[str], first: date, last: date) -> dict[date, int]:
    return {day: n for (day, _key), n in usage_series(metrics, first, last).items()}
