"""The daily rollup: idempotent, re-runnable, one local day at a time.

Re-running a day replaces its rows in one transaction, so running it twice gives the same
numbers and a late event for a past day is picked up by running that day again. A ``RollupRun``
row marks the day complete; reports read raw events for days without one.
"""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.errors import ValidationFailed
from caseflow.extensions import db
from caseflow.reports.dimensions import day_counts
from caseflow.reports.models import RollupRun, UsageRollup, UsageRollupMonth
from caseflow.reports.periods import today
from caseflow.reports.usage_queries import forget_rolled_up_days, month_end
from caseflow.timeutil import local_date
from caseflow.usage.models import UsageEvent, VisitorDigest, VisitSalt

log = logging.getLogger(__name__)

#: Days re-rolled by every scheduled run, to pick up events that arrive late.
LATE_DAYS = 2
#: How far back a first scheduled run looks for days never rolled up.
CATCH_UP_DAYS = 800


def rollup_day(day: date, *, refresh_month: bool = True) -> int:
    """Replace the rollup rows of local ``day`` (a completed day); returns the rows written.

    The day's month is re-summed too, unless the caller rolls up many days and refreshes each
    month once at the end (``refresh_months``).
    """
    if day >= today():
        raise ValidationFailed(
            "Bara avslutade dagar kan summeras. / Only completed days can be rolled up.",
            {"day": ["Dagen är inte avslutad. / The day is not over."]},
        )
    _lock(day)
    forget_rolled_up_days()
    counts = day_counts(day)
    rows = [
        {"day": day, "metric": metric, "dimension": dimension, "key": key, "count": n}
        for (metric, dimension, key), n in counts.items()
    ]
    db.session.execute(sa.delete(UsageRollup).where(UsageRollup.day == day))
    db.session.execute(sa.delete(RollupRun).where(RollupRun.day == day))
    if rows:
        db.session.execute(sa.insert(UsageRollup), rows)
    events = sum(
        n
        for (metric, dimension, _key), n in counts.items()
        if dimension == "all" and not metric.startswith("case_")
    )
    db.session.add(RollupRun(day=day, finished_at=utcnow(), events=events))
    db.session.flush()
    if refresh_month:
        refresh_months([day])
    return len(rows)


def refresh_months(days: list[date]) -> None:
    """Re-sum the month rows of every month that contains one of ``days``."""
    for month in sorted({d.replace(day=1) for d in days}):
        end = month_end(month)
        db.session.execute(sa.delete(UsageRollupMonth).where(UsageRollupMonth.month == month))
        summed = sa.select(
            UsageRollup.metric,
            UsageRollup.dimension,
            sa.literal(month, sa.Date),
            UsageRollup.key,
            sa.func.sum(UsageRollup.count),
        ).where(UsageRollup.day >= month, UsageRollup.day <= end)
        summed = summed.group_by(UsageRollup.metric, UsageRollup.dimension, UsageRollup.key)
        db.session.execute(
            sa.insert(UsageRollupMonth).from_select(
                ["metric", "dimension", "month", "key", "count"], summed
            )
        )
    db.session.flush()


def _lock(day: date) -> None:
    """Serialise concurrent runs of the same day (PostgreSQL; SQLite serialises writers)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(7_000_000 + day.toordinal())))


def days_to_roll_up(now_day: date | None = None) -> list[date]:
    """Days never rolled up since the first event or case, plus the last ``LATE_DAYS`` again.

    Reports treat days before the first rolled-up day as empty, so the job starts at the
    first data there is.
    """
    now_day = now_day or today()
    yesterday = now_day - timedelta(days=1)
    floor = now_day - timedelta(days=CATCH_UP_DAYS)
    firsts = [
        db.session.execute(sa.select(sa.func.min(column))).scalar()
        for column in (UsageEvent.occurred_at, Case.opened_at)
    ]
    firsts = [moment for moment in firsts if moment is not None]
    if not firsts:
        start = yesterday - timedelta(days=LATE_DAYS - 1)
    else:
        start = max(floor, local_date(min(firsts)))
    done = set(
        db.session.execute(
            sa.select(RollupRun.day).where(RollupRun.day >= start, RollupRun.day <= yesterday)
        ).scalars()
    )
    late = {yesterday - timedelta(days=i) for i in range(LATE_DAYS)}
    out = []
    d = start
    while d <= yesterday:
        if d not in done or d in late:
            out.append(d)
        d += timedelta(days=1)
    return out


def purge_visitor_digests(now_day: date | None = None) -> None:
    """Forget past days' salts and visitor hashes: a visitor cannot be followed across days."""
    now_day = now_day or today()
    db.session.execute(sa.delete(VisitorDigest).where(VisitorDigest.day < now_day))
    db.session.execute(sa.delete(VisitSalt).where(VisitSalt.day < now_day))


def run_rollups() -> dict[str, int]:
    """Scheduled job: roll up missing and recent days, purge old visitor hashes, commit once."""
    started = time.monotonic()
    days = days_to_roll_up()
    rows = sum(rollup_day(d, refresh_month=False) for d in days)
    refresh_months(days)
    purge_visitor_digests()
    db.session.commit()
    log.info("rolled up %d days (%d rows) in %.2fs", len(days), rows, time.monotonic() - started)
    return {"days": len(days), "rows": rows}
