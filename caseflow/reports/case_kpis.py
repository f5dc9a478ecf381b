"""Case KPIs per e-service, unit or channel, read from the cases a user may see.

Handling time counts Swedish working days from the local opening date to the day the handling
clock stopped (or the case closed). Percentiles use the nearest-rank method.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from caseflow.auth.access import visible_cases_clause
from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports.counting import closed_in_time
from caseflow.reports.metrics import is_digital, share
from caseflow.reports.periods import range_bounds
from caseflow.reports.sql import connection
from caseflow.timeutil import local_date
from workflows.calendar import working_days_between

COLUMNS = (
    "key",
    "label",
    "opened",
    "closed",
    "digital_share",
    "median_handling_days",
    "p90_handling_days",
    "within_deadline_share",
    "delay_notices",
    "avg_days_in_state",
)


@dataclass
class _Bucket:
    opened: int = 0
    digital: int = 0
    closed: int = 0
    in_time: int = 0
    delay_notices: int = 0
    handling: list[int] = field(default_factory=list)
    state_days: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def percentile(values: list[int], pct: float) -> float | None:
    """Nearest-rank percentile (the smallest value with ``pct`` % of values at or below)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)])


def _key(by: str, eservice_id: int | None, channel: str, unit_id: int) -> str | None:
    if by == "all":
        return ""
    if by == "eservice":
        return None if eservice_id is None else str(eservice_id)
    if by == "channel":
        return channel
    return str(unit_id)


def case_kpis(user: User, first: date, last: date, by: str = "all") -> list[dict[str, Any]]:
    """One row per ``by`` key for cases opened, closed or noticed in ``first..last``."""
    start, end = range_bounds(first, last)
    visible = visible_cases_clause(user)
    buckets: dict[str, _Bucket] = defaultdict(_Bucket)
    dims = (Case.eservice_id, Case.channel, Case.unit_id)

    opened_ids: dict[int, str] = {}
    opened_rows = db.session.execute(
        sa.select(Case.id, *dims, Case.opened_at, Case.state, Case.closed_at).where(
            visible, Case.opened_at >= start, Case.opened_at < end
        )
    ).all()
    for case_id, eservice_id, channel, unit_id, *_rest in opened_rows:
        key = _key(by, eservice_id, channel, unit_id)
        if key is None:
            continue
        bucket = buckets[key]
        bucket.opened += 1
        bucket.digital += is_digital(channel)
        opened_ids[case_id] = key

    closed_rows = db.session.execute(
        sa.select(
            *dims, Case.opened_at, Case.closed_at, Case.clock_stopped_at, Case.due_date
        ).where(visible, Case.closed_at >= start, Case.closed_at < end)
    ).all()
    for eservice_id, channel, unit_id, opened_at, closed_at, stopped_at, due in closed_rows:
        key = _key(by, eservice_id, channel, unit_id)
        if key is None:
            continue
        bucket = buckets[key]
        bucket.closed += 1
        bucket.in_time += closed_in_time(due, closed_at, stopped_at)
        bucket.handling.append(
            working_days_between(local_date(opened_at), local_date(stopped_at or closed_at))
        )

    notices = db.session.execute(
        sa.select(*dims, sa.func.count())
        .where(visible, Case.delay_notice_sent_at >= start, Case.delay_notice_sent_at < end)
        .group_by(*dims)
    ).all()
    for eservice_id, channel, unit_id, n in notices:
        key = _key(by, eservice_id, channel, unit_id)
        if key is not None:
            buckets[key].delay_notices += n

    _time_in_states(opened_rows, opened_ids, buckets)
    labels = dimension_labels(by, buckets.keys())
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "opened": b.opened,
            "closed": b.closed,
            "digital_share": share(b.digital, b.opened),
            "median_handling_days": (float(statistics.median(b.handling)) if b.handling else None),
            "p90_handling_days": percentile(b.handling, 90),
            "within_deadline_share": share(b.in_time, b.closed),
            "delay_notices": b.delay_notices,
            "avg_days_in_state": {
                state: round(sum(v) / len(v), 1) for state, v in sorted(b.state_days.items())
            },
        }
        for key, b in sorted(buckets.items())
    ]


def _time_in_states(
    opened_rows: list[Any], opened_ids: dict[int, str], buckets: dict[str, _Bucket]
) -> None:
    """Days spent in each workflow state by the cases opened in the period.

    A case enters its first state when opened and each later state at its status change; the
    current state of an open case counts until now.
    """
    if not opened_ids:
        return
    changes: dict[int, list[tuple[datetime, str | None, str]]] = defaultdict(list)
    ids = list(opened_ids)
    for i in range(0, len(ids), 5000):
        rows = db.session.execute(
            sa.select(
                CaseStatusChange.case_id,
                CaseStatusChange.created_at,
                CaseStatusChange.from_state,
                CaseStatusChange.to_state,
            )
            .where(CaseStatusChange.case_id.in_(ids[i : i + 5000]))
            .order_by(CaseStatusChange.case_id, CaseStatusChange.created_at, CaseStatusChange.id)
        )
        for case_id, at, from_state, to_state in rows:
            changes[case_id].append((at, from_state, to_state))
    now = utcnow()
    for case_id, _e, _c, _u, opened_at, state, closed_at in opened_rows:
        key = opened_ids.get(case_id)
        if key is None:
            continue
        history = changes.get(case_id, [])
        current = history[0][1] if history and history[0][1] else state
        since = opened_at
        for at, _from, to_state in history:
            buckets[key].state_days[current].append((at - since).total_seconds() / 86400)
            current, since = to_state, at
        if closed_at is None:
            buckets[key].state_days[current].append((now - since).total_seconds() / 86400)


def dimension_labels(by: str, keys: Any) -> dict[str, str]:
    """Display labels of e-service or unit keys, read on every report (names change).

    Every e-service or unit is read (a municipality has hundreds at most): one short statement
    whatever the number of keys, where a list of ids costs a parameter each.
    """
    from caseflow.eservices.models import EService
    from caseflow.units.models import Unit

    wanted = {k for k in keys if k and k.isdigit()}
    if by in ("eservice", "unit") and wanted:
        table = EService.__table__.c if by == "eservice" else Unit.__table__.c
        label = table.title_sv if by == "eservice" else table.prefix
        rows = connection().execute(sa.select(table.id, label)).all()  # one fetch, not per row
        labels = {str(i): text for i, text in rows}
        return {key: labels[key] for key in wanted if key in labels}
    if by == "all":
        return {"": "Alla / All"}
    return {}
