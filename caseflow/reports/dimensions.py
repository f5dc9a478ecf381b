"""One raw day's counts per dimension key, aggregated by PostgreSQL.

``counting.day_cells`` reads a day at its finest grain (metric, e-service, channel, unit) and
``by_dimension`` spreads the cells in Python: a thousand-odd cases a day come back as
as many rows, each costing Python work on every report request that reads today. Here the
database groups straight to the four dimensions the reports and rollups keep (``GROUPING
SETS``) and judges "closed in time" itself, so a day is a hundred-odd rows and one round trip.
SQLite, which knows no time zones, keeps the Python path; both give the same counts
(``tests/reports/test_day_counts_aggregated_in_sql.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.reports.counting import (
    CASE_METRICS,
    EVENT_CELLS,
    EVENT_CELLS_OF_KINDS,
    DimensionCounts,
    by_dimension,
    day_cells,
)
from caseflow.reports.periods import day_bounds
from caseflow.reports.sql import connection
from caseflow.timeutil import local_zone

_cases = Case.__table__.c
_start, _end = sa.bindparam("start"), sa.bindparam("end")


def day_counts(day: date, metrics: Iterable[str] | None = None) -> DimensionCounts:
    """Every metric of local ``day`` per dimension key, as ``by_dimension(day_cells(...))``;
    ``metrics`` limits what is read."""
    if connection().dialect.name != "postgresql":
        return by_dimension(day_cells(day, metrics))
    wanted = None if metrics is None else set(metrics)
    kinds = None if wanted is None else sorted(wanted - set(CASE_METRICS))
    stmt = day_statement(events_of(kinds), wanted is None or not wanted.isdisjoint(CASE_METRICS))
    if stmt is None:
        return {}
    rows = connection().execute(stmt, day_params(day, kinds)).all()
    return read_rows(rows, wanted)


def day_params(day: date, event_kinds: Sequence[str] | None = None) -> dict[str, Any]:
    """The parameters of ``day_statement`` for local ``day`` (and ``event_kinds``)."""
    start, end = day_bounds(day)
    params: dict[str, Any] = {"start": start, "end": end, "zone": local_zone().key}
    if event_kinds:
        params["kinds"] = list(event_kinds)
    return params


ALL, SOME, NONE = "all", "some", "none"


def events_of(kinds: Sequence[str] | None) -> str:
    """Which events ``day_statement`` reads for ``kinds`` (None: every kind)."""
    return ALL if kinds is None else SOME if kinds else NONE


def day_statement(events: str, with_cases: bool) -> sa.Executable | None:
    """One day's events (``ALL`` kinds, ``SOME``: those of the ``kinds`` parameter, or
    ``NONE``) and, ``with_cases``, its cases per grouping set, in rows of ``ROW_COLUMNS``;
    None when nothing is asked."""
    if events == NONE:
        return _CASES if with_cases else None
    if with_cases:
        return _BOTH if events == ALL else _BOTH_OF_KINDS
    return _EVENTS if events == ALL else _EVENTS_OF_KINDS


#: Columns of every row: the event kind (NULL on case rows), ``GROUPING()`` of the three
#: dimension columns, the three columns, and four counts: an event row's count in the first;
#: a case row's opened, closed, closed in time and delay notices sent.
ROW_COLUMNS = 9

#: ``GROUPING(eservice_id, channel, unit_id)`` of each set, a bit per column left out. A NULL
#: key in a set grouped by it is a row without that dimension: counted only in "all", as in
#: ``by_dimension``.
_SETS = {0b111: ("all", -1), 0b011: ("eservice", 0), 0b101: ("channel", 1), 0b110: ("unit", 2)}


def read_rows(rows: Iterable[Sequence[Any]], wanted: set[str] | None = None) -> DimensionCounts:
    """Counts from rows of ``ROW_COLUMNS`` (case metrics outside ``wanted`` dropped)."""
    counts: DimensionCounts = {}
    case_metrics = [m for m in CASE_METRICS if wanted is None or m in wanted]
    for kind, grouping, eservice_id, channel, unit_id, *ns in rows:
        if grouping is None:  # the generation row of a day without events or cases
            continue
        dimension, index = _SETS[grouping]
        if index < 0:
            key = ""
        else:
            value = (eservice_id, channel, unit_id)[index]
            if value is None:
                continue
            key = str(value)
        if kind is not None:
            counts[(kind, dimension, key)] = ns[0]
            continue
        for metric, n in zip(CASE_METRICS, ns, strict=True):
            if n and metric in case_metrics:
                counts[(metric, dimension, key)] = n
    return counts


def _dimension_sets(c: Any, *keys: Any) -> sa.ColumnElement[Any]:
    """The grouping sets of ``by_dimension`` (all, per e-service, channel and unit) over the
    columns ``c``, each also grouped by ``keys``."""
    dims: list[tuple[Any, ...]] = [(), (c.eservice_id,), (c.channel,), (c.unit_id,)]
    return sa.func.grouping_sets(*[sa.tuple_(*keys, *dim) for dim in dims])


def _inside(column: Any) -> sa.ColumnElement[bool]:
    return sa.and_(column >= _start, column < _end)


def _labelled(
    kind: Any, eservice_id: Any, channel: Any, unit_id: Any, counts: list[Any]
) -> list[Any]:
    """The ``ROW_COLUMNS`` of a part, named alike so the two parts line up in a union."""
    grouping = sa.func.grouping(eservice_id, channel, unit_id)
    head = [kind, grouping, eservice_id, channel, unit_id]
    names = ["kind", "grouped", "eservice_id", "channel", "unit_id", "n1", "n2", "n3", "n4"]
    return [column.label(name) for column, name in zip([*head, *counts], names, strict=True)]


def _events_statement(cells: sa.Select[Any]) -> sa.Select[Any]:
    """Events per grouping set, summed over the day's cells (``counting``'s finest grain):
    grouping a few hundred cells four ways costs less than grouping every event four ways."""
    e = cells.subquery("cells").c
    counts = [sa.cast(sa.func.sum(e.n), sa.BigInteger), *[sa.null().cast(sa.BigInteger)] * 3]
    return sa.select(*_labelled(e.kind, e.eservice_id, e.channel, e.unit_id, counts)).group_by(
        _dimension_sets(e, e.kind)
    )


def _cases_statement() -> sa.Select[Any]:
    """Cases opened, closed, closed in time and delay notices sent in the window, in one read
    of the cases table.

    "In time": the calendar day (configured zone) on which handling ended is not after the due
    date, as ``counting.closed_in_time`` says and as the benchmark's raw query counts.
    """
    c = _cases
    ended = sa.func.coalesce(c.clock_stopped_at, c.closed_at)
    ended_day = sa.cast(sa.func.timezone(sa.bindparam("zone", type_=sa.String), ended), sa.Date)
    in_time = sa.and_(_inside(c.closed_at), sa.or_(c.due_date.is_(None), ended_day <= c.due_date))
    windows = (_inside(c.opened_at), _inside(c.closed_at), in_time, _inside(c.delay_notice_sent_at))
    counts = [sa.func.count().filter(window) for window in windows]
    kind = sa.null().cast(sa.String)
    return (
        sa.select(*_labelled(kind, c.eservice_id, c.channel, c.unit_id, counts))
        .where(sa.or_(*[_inside(column) for column in (c.opened_at, c.closed_at)], windows[3]))
        .group_by(_dimension_sets(c))
    )


#: Built once: today's counts are read on every report request.
_EVENTS = _events_statement(EVENT_CELLS)
_EVENTS_OF_KINDS = _events_statement(EVENT_CELLS_OF_KINDS)
_CASES = _cases_statement()


def _both(events: sa.Select[Any]) -> sa.CompoundSelect:
    """Events and cases in one round trip. Each part is a ``MATERIALIZED`` CTE: a plain
    ``UNION ALL`` of the two got a parallel plan (two workers started for a few thousand
    rows: 9-11 ms instead of 4-5)."""
    parts = (events.cte("day_events"), _CASES.cte("day_cases"))
    return sa.union_all(*[sa.select(part.prefix_with("MATERIALIZED")) for part in parts])


_BOTH = _both(_EVENTS)
_BOTH_OF_KINDS = _both(_EVENTS_OF_KINDS)
