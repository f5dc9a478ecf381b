"""A small per-process cache of figures read from the rollup tables and imported figures.

Rollups of completed days only change when the rollup job (re)writes a day, and imported daily
figures only when the Matomo import runs, so sums over them can be kept between requests.
Every entry belongs to a *generation*: the number of rolled-up days, their latest
``finished_at`` and the events counted, and the same of the imported figures, read in one tiny
query per request. A rollup or import in any process changes the generation (``rollup_day``
rewrites the day's ``RollupRun``), and a rollup in this process also clears the cache when its
transaction ends, so a rolled-back rollup leaves nothing behind. Figures from raw events
(today) and e-services are never cached here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import date
from threading import Lock
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Session

from caseflow.extensions import db
from caseflow.reports.models import ExternalCount, RollupRun
from caseflow.reports.sql import connection

T = TypeVar("T")

#: Rows kept per process before the cache starts over (the goals report keeps about 1,000,
#: a daily report by e-service over a year about 22,000).
MAX_ROWS = 200_000
GENERATION_KEY = "caseflow_rollup_generation"
DIRTY_KEY = "caseflow_rollups_written"

_lock = Lock()
_entries: dict[Hashable, Any] = {}
_generation: list[Hashable | None] = [None]
_rows = [0]


def _generation_statement() -> sa.Select[Any]:
    """Count, latest write and sum of the rollup runs and of the imported figures.

    The latest write comes back as text: it is only compared, and a timestamp would be
    converted on every row where the generation rides along with other rows.
    """
    run, count = RollupRun.__table__.c, ExternalCount.__table__.c
    runs = sa.select(
        sa.func.count(),
        sa.cast(sa.func.max(run.finished_at), sa.String),
        sa.func.coalesce(sa.func.sum(run.events), 0),
    ).subquery()
    imports = sa.select(
        sa.func.count(),
        sa.cast(sa.func.max(count.imported_at), sa.String),
        sa.func.coalesce(sa.func.sum(count.value), 0),
    ).subquery()
    return sa.select(runs, imports).select_from(runs.join(imports, sa.true()))


#: Built once: it runs on every report request.
_GENERATION = _generation_statement()


def generation() -> Hashable:
    """The rollups' generation, read once per app context (one aggregate over ``rollup_runs``)."""
    cached = g.get(GENERATION_KEY)
    if cached is None:
        cached = remember_generation(connection().execute(_GENERATION).one())
    return cached


def generation_known() -> bool:
    """Whether this app context has read the generation already."""
    return g.get(GENERATION_KEY) is not None


def generation_subquery() -> sa.Subquery:
    """The generation statement as a one-row subquery, for a caller that reads it together
    with something else in one round trip (``remember_generation`` its six columns)."""
    return _GENERATION.subquery("generation")


def remember_generation(row: Sequence[Any]) -> Hashable:
    """Keep the generation columns read by ``_GENERATION`` (or its subquery) for this context."""
    value = (str(db.session.get_bind().engine.url), *(str(v) for v in row))
    setattr(g, GENERATION_KEY, value)
    return value


def cached(key: Hashable, compute: Callable[[], T], size: Callable[[T], int] | None = None) -> T:
    """``compute()`` once per ``key`` and rollup generation; ``size`` counts its rows for the
    bound (default: its length)."""
    current = generation()
    with _lock:
        if _generation[0] != current:
            _clear()
            _generation[0] = current
        if key in _entries:
            return _entries[key]
    value = compute()
    with _lock:
        if _generation[0] == current:
            rows = size(value) if size else len(value) if hasattr(value, "__len__") else 1
            if _rows[0] + rows > MAX_ROWS:
                _clear()
            _entries[key] = value
            _rows[0] += rows
    return value


def _clear() -> None:
    _entries.clear()
    _rows[0] = 0


def invalidate() -> None:
    """Forget every cached figure; called when rollups are written or removed."""
    with _lock:
        _clear()
        _generation[0] = None
    g.pop(GENERATION_KEY, None)
    db.session.info[DIRTY_KEY] = True


def imported(metric: str, source: str, first: date, last: date) -> dict[date, int]:
    """Imported daily figures (e.g. Matomo visits) of ``first..last``, kept for the generation."""

    def read() -> dict[date, int]:  # the statement is built only on a miss
        stmt = sa.select(ExternalCount.day, ExternalCount.value).where(
            ExternalCount.metric == metric,
            ExternalCount.source == source,
            ExternalCount.day >= sa.bindparam(None, first, literal_execute=True),
            ExternalCount.day <= sa.bindparam(None, last, literal_execute=True),
        )
        return {day: int(value) for day, value in db.session.execute(stmt)}

    return cached(("imported", metric, source, first, last), read)


def rolled_up_days() -> frozenset[date]:
    """Every completed rollup day, kept for the generation."""
    return cached(
        ("rolled_up_days",),
        lambda: frozenset(db.session.execute(sa.select(RollupRun.day)).scalars()),
    )


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_soft_rollback")
def _transaction_ended(session: Session, *_args: Any) -> None:
    """A transaction that wrote rollups ended: committed figures supersede, rolled back
    ones must not survive."""
    if session.info.pop(DIRTY_KEY, False):
        with _lock:
            _clear()
            _generation[0] = None
        if has_app_context():
            g.pop(GENERATION_KEY, None)
