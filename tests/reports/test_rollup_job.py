"""The daily rollup: the same numbers on every run, late events picked up by a re-run."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.errors import ValidationFailed
from caseflow.extensions import db
from caseflow.reports.models import RollupRun, UsageRollup
from caseflow.reports.periods import today
from caseflow.reports.rollup import days_to_roll_up, rollup_day, run_rollups
from caseflow.reports.usage_queries import usage_series
from caseflow.usage.kinds import FORM_SUBMITTED, SOCIAL_INBOUND
from tests.factories import make_case, make_eservice
from tests.reports.conftest import add_events, days_ago, local


def _rows(day: date) -> list[tuple]:
    return list(
        db.session.execute(
            sa.select(UsageRollup.metric, UsageRollup.dimension, UsageRollup.key, UsageRollup.count)
            .where(UsageRollup.day == day)
            .order_by(UsageRollup.metric, UsageRollup.dimension, UsageRollup.key)
        )
    )


def _seed_day(day: date) -> None:
    eservice = make_eservice()
    add_events(
        FORM_SUBMITTED,
        local(day, 9),
        3,
        eservice_id=eservice.id,
        channel="webform",
        unit_id=eservice.unit_id,
    )
    add_events(SOCIAL_INBOUND, local(day, 23, 59), 2, channel="facebook")
    add_events(SOCIAL_INBOUND, local(day, 0, 0), 1, channel="x")
    make_case(eservice.unit, eservice=eservice, opened_at=local(day, 10))


def test_running_a_day_twice_gives_the_same_numbers() -> None:
    day = days_ago(3)
    _seed_day(day)
    rollup_day(day)
    first = _rows(day)
    rollup_day(day)
    assert _rows(day) == first
    counts = {(m, d, k): n for m, d, k, n in first}
    assert counts[(FORM_SUBMITTED, "all", "")] == 3
    assert counts[(SOCIAL_INBOUND, "all", "")] == 3
    assert counts[(SOCIAL_INBOUND, "channel", "facebook")] == 2
    assert counts[(SOCIAL_INBOUND, "channel", "x")] == 1
    assert counts[("case_opened", "all", "")] == 1
    assert db.session.get(RollupRun, day).events == 6


def test_a_late_event_is_picked_up_by_re_running_its_day() -> None:
    day = days_ago(5)
    _seed_day(day)
    rollup_day(day)
    add_events(SOCIAL_INBOUND, local(day, 15), 4, channel="instagram")  # arrives late
    assert sum(usage_series([SOCIAL_INBOUND], day, day).values()) == 3  # the rollup still rules
    rollup_day(day)
    assert sum(usage_series([SOCIAL_INBOUND], day, day).values()) == 7


def test_today_cannot_be_rolled_up_and_is_read_raw() -> None:
    with pytest.raises(ValidationFailed):
        rollup_day(today())
    add_events(SOCIAL_INBOUND, local(today(), 0, 5), 2, channel="x")
    assert sum(usage_series([SOCIAL_INBOUND], today(), today()).values()) == 2


def test_the_scheduled_run_fills_gaps_and_re_runs_recent_days() -> None:
    for n in (2, 4):
        add_events(SOCIAL_INBOUND, local(days_ago(n)), n, channel="x")
    assert {days_ago(4), days_ago(3), days_ago(2), days_ago(1)} <= set(days_to_roll_up())
    run_rollups()
    assert db.session.get(RollupRun, days_ago(4)) is not None
    assert days_to_roll_up() == [days_ago(2), days_ago(1)]  # re-run for late events only


def test_cli_rolls_up_a_given_day(app: Flask) -> None:
    day = days_ago(6)
    _seed_day(day)
    result = app.test_cli_runner().invoke(args=["caseflow", "rollup", "--day", day.isoformat()])
    assert result.exit_code == 0, result.output
    assert ("form_submitted", "all", "", 3) in _rows(day)
    refused = app.test_cli_runner().invoke(
        args=["caseflow", "rollup", "--day", today().isoformat()]
    )
    assert refused.exit_code != 0


def test_days_before_the_first_rollup_are_not_read_raw() -> None:
    from caseflow.reports.usage_queries import missing_days

    assert len(missing_days(days_ago(10), today())) == 11  # nothing rolled up: all raw
    rollup_day(days_ago(3))
    assert missing_days(date(2010, 1, 1), date(2010, 12, 31)) == []
    assert missing_days(days_ago(10), today()) == [days_ago(2), days_ago(1), today()]
