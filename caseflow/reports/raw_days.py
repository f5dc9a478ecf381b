"""Days without a rollup (today), read raw from events and cases on every request.

A report that asks several metrics of today (the goals report, the dashboard) reads today
once inside ``one_reading``; a report whose range holds today reads the rollup generation in
the same round trip as today's counts, since it needs both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from caseflow.reports import rollup_cache
from caseflow.reports.counting import (
    CASE_METRICS,
    EVENT_CELLS_OF_KINDS,
    Cells,
    DimensionCounts,
    by_dimension,
)
from caseflow.reports.dimensions import (
    day_counts,
    day_params,
    day_statement,
    events_of,
    read_rows,
)
from caseflow.reports.periods import day_bounds, today
from caseflow.reports.sql import connection


@dataclass(frozen=True)
class _Day:
    """A raw day's counts, of ``metrics`` only or (None) of every metric."""

    metrics: frozenset[str] | None
    counts: DimensionCounts

    def covers(self, metrics: Sequence[str]) -> bool:
        return self.metrics is None or self.metrics.issuperset(metrics)


class _Reading:
    """What one ``one_reading`` block has read: raw days, and small lookups (``once``)."""

    def __init__(self) -> None:
        self.days: dict[date, _Day] = {}
        self.once: dict[Hashable, Any] = {}


_reading: ContextVar[_Reading | None] = ContextVar("raw_days_reading", default=None)


@contextmanager
def one_reading(*, today_metrics: Collection[str] = ()) -> Iterator[None]:
    """Read each raw day (today) once for every metric inside this block (a block inside
    another shares the outer one's reading).

    ``today_metrics``: what the block will ask of today. On PostgreSQL those are read at
    once, with the rollup generation in the same round trip, and only those: a metric asked
    later that they do not cover reads the day again, whole.
    """
    if _reading.get() is not None:
        yield
        return
    reading = _Reading()
    token = _reading.set(reading)
    try:
        if today_metrics:
            _read_today_with_generation(reading.days, frozenset(today_metrics))
        yield
    finally:
        _reading.reset(token)


def raw_day(day: date, metrics: Sequence[str]) -> DimensionCounts:
    """Counts of a day without a rollup, straight from events and cases: at least
    ``metrics``; inside ``one_reading`` every metric, read once."""
    reading = _reading.get()
    if reading is None:
        return day_counts(day, metrics)
    known = reading.days.get(day)
    if known is None or not known.covers(metrics):
        known = reading.days[day] = _Day(None, day_counts(day))
    return known.counts


def reading_today() -> bool:
    """Whether a ``one_reading`` block is active (it reads today itself)."""
    return _reading.get() is not None


T = TypeVar("T")


def once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()`` once per ``one_reading`` block (every call outside one): for small tables
    that several goals of one report ask about, such as the e-services' publication dates."""
    reading = _reading.get()
    if reading is None:
        return read()
    if key not in reading.once:
        reading.once[key] = read()
    return cast(T, reading.once[key])


#: Columns of the rollup generation, which leads every row of the statements below.
_GENERATION_WIDTH = len(rollup_cache.generation_subquery().c)


@cache
def _day_with_generation(events: str, with_cases: bool) -> sa.Select[Any]:
    """The rollup generation (one row) left-joined with a day's counts (``day_statement``
    of ``events`` and ``with_cases``, not both nothing). Built once per shape."""
    day = day_statement(events, with_cases)
    assert day is not None
    counts = day.subquery("day")
    generation = rollup_cache.generation_subquery()
    return sa.select(generation, counts).select_from(generation.outerjoin(counts, sa.true()))


def _read_today_with_generation(reading: dict[date, _Day], metrics: frozenset[str]) -> None:
    """Today's counts of ``metrics`` and the rollup generation in one statement (PostgreSQL;
    elsewhere each is read when first needed), unless this context knows the generation."""
    if rollup_cache.generation_known() or connection().dialect.name != "postgresql":
        return
    kinds = sorted(metrics - set(CASE_METRICS))
    with_cases = not metrics.isdisjoint(CASE_METRICS)
    now = today()
    stmt = _day_with_generation(events_of(kinds), with_cases)
    rows = connection().execute(stmt, day_params(now, kinds)).all()
    width = _GENERATION_WIDTH
    rollup_cache.remember_generation(rows[0][:width])
    reading[now] = _Day(metrics, read_rows((row[width:] for row in rows), set(metrics)))


def _today_cells_with_generation_statement() -> sa.Select[Any]:
    """The rollup generation (one row) left-joined with one day's event cells of some kinds."""
    cells_of_day = EVENT_CELLS_OF_KINDS.subquery("cells")
    generation = rollup_cache.generation_subquery()
    return sa.select(generation, cells_of_day).select_from(
        generation.outerjoin(cells_of_day, sa.true())
    )


#: Built once, like the statements it joins.
_TODAY_CELLS_WITH_GENERATION = _today_cells_with_generation_statement()


def today_with_generation(metrics: Sequence[str]) -> DimensionCounts | None:
    """Today's counts of event kinds ``metrics`` read with the rollup generation, in one
    statement, when this request has not read the generation yet (a usage report's first
    read); None otherwise, and inside ``one_reading``, which reads today once for all metrics.

    Today is never rolled up, so a report over a range with today always reads it raw; one
    round trip instead of two is most of what is left to save on such a request.
    """
    if rollup_cache.generation_known() or reading_today():
        return None
    if any(metric in CASE_METRICS for metric in metrics):
        return None
    start, end = day_bounds(today())
    params = {"start": start, "end": end, "kinds": sorted(set(metrics))}
    rows = connection().execute(_TODAY_CELLS_WITH_GENERATION, params).all()
    width = _GENERATION_WIDTH
    rollup_cache.remember_generation(rows[0][:width])
    cells: Cells = Counter()
    for row in rows:
        kind, eservice_id, channel, unit_id, n = row[width:]
        if kind is not None:
            cells[(kind, eservice_id, channel, unit_id)] += n
    return by_dimension(cells)
