"""Read counts over a date range: rollups for completed days, raw events for the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.reports.counting import by_dimension, day_cells
from caseflow.reports.models import RollupRun, UsageRollup
from caseflow.reports.periods import period_start, today

#: (period start, dimension key) -> count
Series = Counter[tuple[date, str]]


def usage_series(
    metrics: Sequence[str], first: date, last: date, *, by: str = "all", group: str = "day"
) -> Series:
    """Counts of ``metrics`` (summed) per ``group`` period and ``by`` key, ``first``..``last``."""
    out: Series = Counter()
    if last < first or not metrics:
        return out
    stmt = (
        sa.select(UsageRollup.day, UsageRollup.key, sa.func.sum(UsageRollup.count))
        .where(
            UsageRollup.metric.in_(list(metrics)),
            UsageRollup.dimension == by,
            UsageRollup.day >= first,
            UsageRollup.day <= last,
        )
        .group_by(UsageRollup.day, UsageRollup.key)
    )
    for day, key, n in db.session.execute(stmt):
        out[(period_start(day, group), key)] += int(n)
    for day in missing_days(first, last):
        for (metric, dimension, key), n in by_dimension(day_cells(day, metrics)).items():
            if dimension == by and metric in metrics:
                out[(period_start(day, group), key)] += n
    return out


def missing_days(first: date, last: date) -> list[date]:
    """Days up to today in the range that have no completed rollup (at least today).

    Days before the first rolled-up day hold no data: the rollup job starts at the first
    event or case, so they are not read raw one by one (a 2010 baseline costs nothing).
    """
    last = min(last, today())
    floor = db.session.execute(sa.select(sa.func.min(RollupRun.day))).scalar()
    if floor is not None:
        first = max(first, floor)
    if last < first:
        return []
    rolled = set(
        db.session.execute(
            sa.select(RollupRun.day).where(RollupRun.day >= first, RollupRun.day <= last)
        ).scalars()
    )
    out = []
    d = first
    while d <= last:
        if d not in rolled:
            out.append(d)
        d += timedelta(days=1)
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
