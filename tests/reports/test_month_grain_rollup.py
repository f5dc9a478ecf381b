"""Whole rolled-up months are read at month grain; the figures stay those of the raw events."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.reports.models import RollupRun, UsageRollup, UsageRollupMonth
from caseflow.reports.periods import period_label, today
from caseflow.reports.rollup import refresh_months, rollup_day
from caseflow.reports.usage_queries import metric_totals, month_end, usage_series, whole_months
from caseflow.usage.kinds import FORM_SUBMITTED, SOCIAL_INBOUND
from tests.factories import make_eservice
from tests.reports.conftest import add_events, local


def _month_start(back: int) -> date:
    month = today().replace(day=1)
    for _ in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _write(staff) -> tuple[date, list[tuple[date, int]]]:
    """Events on a few days of each of the last three months (and today)."""
    eservice = make_eservice(staff.unit)
    first = _month_start(3)
    written = []
    for i, offset in enumerate((0, 9, 17, 27, 33, 45, 58, 70, 80, 95)):
        day = first + timedelta(days=offset)
        if day > today():
            continue
        add_events(FORM_SUBMITTED, local(day, 11), i + 1, eservice_id=eservice.id)
        written.append((day, i + 1))
    return first, written


def _roll(first: date) -> None:
    days = [first + timedelta(days=i) for i in range((today() - first).days)]
    for day in days:
        rollup_day(day, refresh_month=False)
    refresh_months(days)


def test_monthly_report_from_month_rows_equals_the_raw_count(staff) -> None:
    first, written = _write(staff)
    _roll(first)
    assert len(whole_months(first, today(), [today()])) == 3
    assert db.session.execute(sa.select(sa.func.count()).select_from(UsageRollupMonth)).scalar()
    expected = Counter()
    for day, n in written:
        expected[period_label(day.replace(day=1), "month")] += n
    series = usage_series([FORM_SUBMITTED], first, today(), by="eservice", group="month")
    assert Counter({period_label(p, "month"): n for (p, _k), n in series.items()}) == expected
    assert metric_totals([FORM_SUBMITTED], first, today())[FORM_SUBMITTED] == sum(
        n for _d, n in written
    )


def test_a_late_event_in_a_whole_month_is_picked_up_by_re_running_its_day(staff) -> None:
    first, _written = _write(staff)
    _roll(first)
    late_day = first + timedelta(days=9)
    add_events(FORM_SUBMITTED, local(late_day, 16), 100)
    before = metric_totals([FORM_SUBMITTED], first, month_end(first))[FORM_SUBMITTED]
    rollup_day(late_day)
    after = metric_totals([FORM_SUBMITTED], first, month_end(first))[FORM_SUBMITTED]
    assert after == before + 100


def test_a_month_with_a_day_not_rolled_up_is_read_by_day_and_raw(staff) -> None:
    first, written = _write(staff)
    _roll(first)
    gap = first + timedelta(days=17)
    db.session.execute(sa.delete(RollupRun).where(RollupRun.day == gap))  # never rolled up
    db.session.execute(sa.delete(UsageRollup).where(UsageRollup.day == gap))
    from caseflow.reports.usage_queries import forget_rolled_up_days

    forget_rolled_up_days()
    add_events(SOCIAL_INBOUND, local(gap, 8), 5, channel="x")  # only in the raw events
    months = whole_months(first, today(), [gap, today()])
    assert first not in months
    total = metric_totals([FORM_SUBMITTED, SOCIAL_INBOUND], first, month_end(first))
    in_first_month = sum(n for d, n in written if d <= month_end(first))
    assert total == Counter({FORM_SUBMITTED: in_first_month, SOCIAL_INBOUND: 5})


def test_yearly_and_weekly_groups_agree_with_daily(staff) -> None:
    first, _written = _write(staff)
    _roll(first)
    daily = usage_series([FORM_SUBMITTED], first, today(), group="day")
    for group in ("week", "year"):
        grouped = usage_series([FORM_SUBMITTED], first, today(), group=group)
        assert sum(grouped.values()) == sum(daily.values())
