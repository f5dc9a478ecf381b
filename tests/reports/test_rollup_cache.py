"""Figures read from rollups are kept between reports, and never outlive the rollups they
came from: a re-rolled day, a rollup by another process or a rolled-back rollup."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import g

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports import rollup_cache
from caseflow.reports.models import RollupRun, UsageRollup
from caseflow.reports.periods import today
from caseflow.reports.rollup import rollup_day
from caseflow.reports.usage_queries import metric_totals
from caseflow.usage.kinds import FORM_SUBMITTED
from tests.reports.conftest import add_events, local
from tests.sql import recorded_statements


def _statements(fn) -> tuple[object, int]:
    """``fn()`` and the number of SQL statements it ran."""
    with recorded_statements() as seen:
        result = fn()
    return result, len(seen)


def _new_request() -> None:
    """What a new app context (a new request) starts from: no per-request generation."""
    g.pop(rollup_cache.GENERATION_KEY, None)


def _week() -> tuple:
    first = today() - timedelta(days=8)
    last = today() - timedelta(days=2)
    for i in range(7):
        add_events(FORM_SUBMITTED, local(first + timedelta(days=i), 10), i + 1)
        rollup_day(first + timedelta(days=i))
    db.session.commit()
    return first, last


def test_a_second_report_reads_no_rollup_rows(staff) -> None:
    first, last = _week()
    _new_request()
    figures, cold = _statements(lambda: metric_totals([FORM_SUBMITTED], first, last))
    _new_request()
    again, warm = _statements(lambda: metric_totals([FORM_SUBMITTED], first, last))
    assert figures == again == {FORM_SUBMITTED: sum(range(1, 8))}
    assert warm == 1  # only the generation of the rollups
    assert cold > warm


def test_re_rolling_a_day_replaces_the_cached_figure(staff) -> None:
    first, last = _week()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 28
    add_events(FORM_SUBMITTED, local(first, 15), 100)  # late events
    rollup_day(first)
    db.session.commit()
    _new_request()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 128


def test_a_rollup_written_by_another_process_is_seen(staff) -> None:
    first, last = _week()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 28
    # Another worker re-rolls the first day: its rows and run change, this process is not told.
    db.session.execute(
        sa.update(UsageRollup)
        .where(UsageRollup.day == first, UsageRollup.metric == FORM_SUBMITTED)
        .values(count=UsageRollup.count + 5)
    )
    db.session.execute(
        sa.update(RollupRun)
        .where(RollupRun.day == first)
        .values(finished_at=utcnow() + timedelta(seconds=1), events=RollupRun.events + 5)
    )
    db.session.commit()
    _new_request()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 33


def test_a_rolled_back_rollup_leaves_no_figures_behind(staff) -> None:
    first, last = _week()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 28
    add_events(FORM_SUBMITTED, local(first, 15), 100)
    rollup_day(first)
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 128
    db.session.rollback()
    _new_request()
    assert metric_totals([FORM_SUBMITTED], first, last)[FORM_SUBMITTED] == 28


def test_a_re_imported_visit_figure_replaces_the_cached_one(staff) -> None:
    from caseflow.reports.metrics import website_visits
    from caseflow.reports.models import ExternalCount

    day = today() - timedelta(days=3)
    db.session.add(ExternalCount(day=day, metric="website_visits", source="matomo", value=40))
    db.session.commit()
    _new_request()
    assert website_visits(day, day, {}) == 40.0
    # The Matomo import (maybe in a worker) overwrites the day.
    db.session.execute(
        sa.update(ExternalCount)
        .where(ExternalCount.day == day)
        .values(value=45, imported_at=utcnow() + timedelta(seconds=1))
    )
    db.session.commit()
    _new_request()
    assert website_visits(day, day, {}) == 45.0


def test_the_cache_starts_over_when_it_holds_too_many_rows(staff, monkeypatch) -> None:
    monkeypatch.setattr(rollup_cache, "MAX_ROWS", 3)
    rollup_cache.invalidate()
    _new_request()
    calls = []
    for i in range(3):
        rollup_cache.cached(("test", i), lambda i=i: calls.append(i) or [i, i])
    assert rollup_cache._rows[0] <= 3
    rollup_cache.cached(("test", 0), lambda: calls.append("again") or [0, 0])
    assert calls == [0, 1, 2, "again"]  # the first entry was dropped to stay under the bound
