"""Read counts over a date range: rollups for completed days, raw events for the rest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.reports import rollup_cache
from caseflow.reports.models import UsageRollup, UsageRollupMonth
from caseflow.reports.periods import period_start, today
from caseflow.reports.raw_days import raw_day, today_with_generation

#: (period start, dimension key) -> count
Series = Counter[tuple[date, str]]


def inline(value: Any, *, expanding: bool = False) -> sa.BindParameter[Any]:
    """A parameter rendered into the SQL text.

    psycopg prepares a statement after a few executions and PostgreSQL may then pick a generic
    plan that ignores the date range (a sequential scan of every rollup); with the values in
    the text each report gets the plan for its own range. Only dates, validated metric names
    and dimension names are inlined, never user text.
    """
    return sa.bindparam(None, value, expanding=expanding, literal_execute=True)


def period_expr(group: str, column: Any = None) -> sa.ColumnElement[Any]:
    """The first day of the ``group`` period of a rollup's day (or month), computed in SQL.

    Rollup days are already Swedish calendar days, so truncating them is exact.
    """
    day = UsageRollup.day if column is None else column
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


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def whole_months(first: date, last: date, missing: list[date]) -> list[date]:
    """Months inside ``first..last`` that are over and fully rolled up: read at month grain."""
    gaps = set(missing)
    now = today()
    out = []
    month = first if first.day == 1 else month_end(first) + timedelta(days=1)
    while month_end(month) <= last and month_end(month) < now:
        end = month_end(month)
        if not any(d in gaps for d in _days(month, end)):
            out.append(month)
        month = end + timedelta(days=1)
    return out


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _day_ranges(first: date, last: date, months: list[date]) -> list[tuple[date, date]]:
    """``first..last`` without the whole months read at month grain."""
    out, cursor = [], first
    for month in months:
        if cursor < month:
            out.append((cursor, month - timedelta(days=1)))
        cursor = month_end(month) + timedelta(days=1)
    if cursor <= last:
        out.append((cursor, last))
    return out


@dataclass(frozen=True)
class RolledCounts:
    """What a range's rollups say, kept per rollup generation and day: the rolled-up counts,
    their keys, and the days (today at least) that must still be read raw on every request."""

    counts: dict[tuple[Any, str], int]
    missing: tuple[date, ...]
    keys: frozenset[str]
    #: The same counts as {period start: {key: count}}, and their sum.
    by_period: dict[Any, dict[str, int]]
    total: int


def rolled_and_live(
    metrics: Sequence[str], first: date, last: date, by: str, group: str | None
) -> tuple[RolledCounts, Counter[tuple[Any, str]]]:
    """The rolled-up counts of the range and the live counts of its missing days, keyed
    (period start, key), or (metric, "") when ``group`` is None.

    The rolled-up part is the same for every request until a rollup or the date changes, so
    it is computed once per generation and day; only the missing days (today's events) are
    read on each call.
    """
    now = today()
    prefetched = today_with_generation(metrics) if first <= now <= last else None
    key = ("counts", tuple(metrics), by, group, first, last, now)
    rolled = rollup_cache.cached(
        key,
        lambda: _rolled_counts(metrics, first, last, by, group),
        size=lambda counts: len(counts.counts) + 1,
    )
    live: Counter[tuple[Any, str]] = Counter()
    for day in rolled.missing:
        raw = prefetched if day == now and prefetched is not None else raw_day(day, metrics)
        for (metric, dimension, dim_key), n in raw.items():
            if dimension == by and metric in metrics:
                label = (metric, "") if group is None else (period_start(day, group), dim_key)
                live[label] += n
    return rolled, live


def _rollup_counts(
    metrics: Sequence[str], first: date, last: date, by: str, group: str | None
) -> Counter[tuple[Any, str]]:
    """Rolled-up and live counts together."""
    rolled, live = rolled_and_live(metrics, first, last, by, group)
    out = Counter(rolled.counts)
    out.update(live)
    return out


def _rolled_counts(
    metrics: Sequence[str], first: date, last: date, by: str, group: str | None
) -> RolledCounts:
    """Rolled-up counts of ``first..last``: month rows for whole months, day rows elsewhere."""
    out: Counter[tuple[Any, str]] = Counter()
    missing = missing_days(first, last)
    months = whole_months(first, last, missing) if group in (None, "month", "year") else []
    metric_in = inline(list(metrics), expanding=True)
    if months:
        table = UsageRollupMonth
        head = (
            [table.metric, sa.literal("")]
            if group is None
            else [period_expr(group, table.month).label("period"), table.key]
        )
        stmt = (
            sa.select(*head, sa.func.sum(table.count))
            .where(
                table.metric.in_(metric_in),
                table.dimension == inline(by),
                table.month.in_(inline(months, expanding=True)),
            )
            .group_by(*head)
        )
        key = ("months", tuple(metrics), by, group, tuple(months))
        _add(out, rollup_cache.cached(key, _rows(stmt)), group is not None)
    ranges = _day_ranges(first, last, months)
    if ranges:
        head = (
            [UsageRollup.metric, sa.literal("")]
            if group is None
            else [period_expr(group).label("period"), UsageRollup.key]
        )
        stmt = (
            sa.select(*head, sa.func.sum(UsageRollup.count))
            .where(
                UsageRollup.metric.in_(metric_in),
                UsageRollup.dimension == inline(by),
                sa.or_(
                    *[
                        sa.and_(UsageRollup.day >= inline(a), UsageRollup.day <= inline(b))
                        for a, b in ranges
                    ]
                ),
            )
            .group_by(*head)
        )
        key = ("days", tuple(metrics), by, group, tuple(ranges))
        _add(out, rollup_cache.cached(key, _rows(stmt)), group is not None)
    by_period: dict[Any, dict[str, int]] = {}
    for (head, key), n in out.items():
        by_period.setdefault(head, {})[key] = n
    return RolledCounts(
        counts=dict(out),
        missing=tuple(missing),
        keys=frozenset(key for _head, key in out),
        by_period=by_period,
        total=sum(out.values()),
    )


def _rows(stmt: sa.Select[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """Run ``stmt`` (a Core select of rollup sums) into plain tuples, for the cache."""
    return lambda: [tuple(row) for row in db.session.execute(stmt)]


def _add(out: Counter[tuple[Any, str]], rows: Any, dates: bool) -> None:
    for head, key, n in rows:
        if dates and isinstance(head, str):  # SQLite's date() answers text
            head = date.fromisoformat(head)
        out[(head, key)] += int(n)


def usage_series(
    metrics: Sequence[str], first: date, last: date, *, by: str = "all", group: str = "day"
) -> Series:
    """Counts of ``metrics`` (summed) per ``group`` period and ``by`` key, ``first``..``last``."""
    if last < first or not metrics:
        return Counter()
    return _rollup_counts(metrics, first, last, by, group)


def rolled_up_days() -> frozenset[date]:
    """Every completed rollup day (kept per rollup generation)."""
    return rollup_cache.rolled_up_days()


def forget_rolled_up_days() -> None:
    """Rollups were written or removed: drop every figure read from them."""
    rollup_cache.invalidate()


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
    """Each metric's total over the range: month rows where whole months are rolled up."""
    if last < first or not metrics:
        return Counter()
    counts = _rollup_counts(metrics, first, last, "all", None)
    return Counter({metric: n for (metric, _key), n in counts.items()})


def total(metrics: Sequence[str], first: date, last: date) -> int:
    return sum(usage_series(metrics, first, last).values())


def totals_by(metrics: Sequence[str], first: date, last: date, by: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for (_period, key), n in usage_series(metrics, first, last, by=by, group="year").items():
        out[key] += n
    return out


def daily(metrics: Sequence[str], first: date, last: date) -> dict[date, int]:
    return {day: n for (day, _key), n in usage_series(metrics, first, last).items()}
