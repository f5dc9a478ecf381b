"""Count one local day straight from the source tables: usage events and cases.

The rollup job stores these counts; reports use the same function for days that have no
rollup yet (today), so a figure is computed one way whichever path it takes. Both go through
``dimensions.day_counts``, which on PostgreSQL has the database aggregate the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.reports.periods import day_bounds
from caseflow.reports.sql import connection
from caseflow.timeutil import local_date
from caseflow.usage.models import UsageEvent

DIMENSIONS = ("all", "eservice", "channel", "unit")
CASE_OPENED = "case_opened"
CASE_CLOSED = "case_closed"
CASE_CLOSED_IN_TIME = "case_closed_in_time"
DELAY_NOTICE_SENT = "delay_notice_sent"
CASE_METRICS = (CASE_OPENED, CASE_CLOSED, CASE_CLOSED_IN_TIME, DELAY_NOTICE_SENT)

#: (metric, eservice_id, channel, unit_id) -> count: the finest grain of one day.
Cells = Counter[tuple[str, int | None, str | None, int | None]]
#: (metric, dimension, key) -> count.
DimensionCounts = dict[tuple[str, str, str], int]


#: One day's events per cell, on table columns. Built once: a report reads today's events on
#: every request, and a prebuilt statement skips construction and cache-key work each time.
_events = UsageEvent.__table__.c
EVENT_CELLS = (
    sa.select(
        _events.kind,
        _events.eservice_id,
        _events.channel,
        _events.unit_id,
        sa.func.count().label("n"),
    )
    .where(_events.occurred_at >= sa.bindparam("start"), _events.occurred_at < sa.bindparam("end"))
    .group_by(_events.kind, _events.eservice_id, _events.channel, _events.unit_id)
)
EVENT_CELLS_OF_KINDS = EVENT_CELLS.where(_events.kind.in_(sa.bindparam("kinds", expanding=True)))


def day_cells(day: date, metrics: Iterable[str] | None = None) -> Cells:
    """Every metric of local ``day`` at its finest grain; ``metrics`` limits what is read."""
    wanted = set(metrics) if metrics is not None else None
    start, end = day_bounds(day)
    cells: Cells = Counter()
    event_kinds = None if wanted is None else wanted - set(CASE_METRICS)
    if event_kinds is None or event_kinds:
        params: dict[str, Any] = {"start": start, "end": end}
        if event_kinds is None:
            stmt = EVENT_CELLS
        else:
            stmt, params["kinds"] = EVENT_CELLS_OF_KINDS, sorted(event_kinds)
        # Core on the session's connection, fetched at once: plain tuples, no ORM processing.
        for kind, eservice_id, channel, unit_id, n in connection().execute(stmt, params).all():
            cells[(kind, eservice_id, channel, unit_id)] += n
    if wanted is None or wanted & set(CASE_METRICS):
        _case_cells(cells, start, end, wanted)
    return cells


def _case_cells(cells: Cells, start: datetime, end: datetime, wanted: set[str] | None) -> None:
    """Cases opened, closed (and closed in time) and delay notices sent in the window, from
    one read of the cases table.

    The database says which window each row falls in, so only the moment the handling ended
    comes back as a timestamp; "in time" compares it with the UTC end of the due date, once
    per due date.
    """
    want = set(CASE_METRICS) if wanted is None else wanted & set(CASE_METRICS)
    case = Case.__table__.c
    windows = {
        CASE_OPENED: case.opened_at,
        CASE_CLOSED: case.closed_at,
        CASE_CLOSED_IN_TIME: case.closed_at,
        DELAY_NOTICE_SENT: case.delay_notice_sent_at,
    }
    columns = {windows[m] for m in want}

    def inside(column: Any) -> sa.ColumnElement[bool]:
        return sa.and_(column >= start, column < end)

    stmt = sa.select(
        case.eservice_id,
        case.channel,
        case.unit_id,
        inside(case.opened_at),
        inside(case.closed_at),
        inside(case.delay_notice_sent_at),
        case.due_date,
        sa.func.coalesce(case.clock_stopped_at, case.closed_at),
    ).where(sa.or_(*[inside(c) for c in columns]))
    rows = connection().execute(stmt).all()  # Core tuples, fetched at once
    due_ends: dict[date, datetime] = {}
    for es, channel, unit, opened, closed, noticed, due, ended in rows:
        cell = (es, channel, unit)
        if CASE_OPENED in want and opened:
            cells[(CASE_OPENED, *cell)] += 1
        if closed:
            if CASE_CLOSED in want:
                cells[(CASE_CLOSED, *cell)] += 1
            if CASE_CLOSED_IN_TIME in want:
                if due is not None and due not in due_ends:
                    due_ends[due] = day_bounds(due)[1]
                if due is None or ended < due_ends[due]:
                    cells[(CASE_CLOSED_IN_TIME, *cell)] += 1
        if DELAY_NOTICE_SENT in want and noticed:
            cells[(DELAY_NOTICE_SENT, *cell)] += 1


def closed_in_time(due: date | None, closed_at, stopped_at) -> bool:
    """Handled within the deadline: the clock stopped (or the case closed) by the due date.

    A case without a due date never had a running clock, so it cannot be late.
    """
    if due is None:
        return True
    return local_date(stopped_at or closed_at) <= due


def by_dimension(cells: Cells) -> DimensionCounts:
    """Spread fine cells into the four dimensions the rollup table keeps.

    Cells without an e-service, channel or unit only count in ``all``.
    """
    out: Counter[tuple[str, str, str]] = Counter()
    for (metric, eservice_id, channel, unit_id), n in cells.items():
        out[(metric, "all", "")] += n
        if eservice_id is not None:
            out[(metric, "eservice", str(eservice_id))] += n
        if channel is not None:
            out[(metric, "channel", channel)] += n
        if unit_id is not None:
            out[(metric, "unit", str(unit_id))] += n
    return dict(out)
