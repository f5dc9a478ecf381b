"""On PostgreSQL a raw day's counts are aggregated by the database (``GROUPING SETS``); they
must equal the cells spread in Python, the path SQLite and every earlier rollup took."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from flask import Flask

from caseflow.cases.transitions import transition_case
from caseflow.db import utcnow
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.reports.counting import CASE_METRICS, by_dimension, day_cells
from caseflow.reports.dimensions import day_counts
from caseflow.reports.periods import today
from tests.factories import make_case, make_eservice
from tests.reports.conftest import add_events, local

pytestmark = pytest.mark.postgres


def _day_of_everything(staff, seed: int) -> None:
    """Events and cases of today and yesterday, with and without e-service, channel and unit,
    closed before, on and after their due dates (and some with the clock stopped earlier)."""
    rng = random.Random(seed)
    eservices = [make_eservice(staff.unit, workflow_key="fraga") for _ in range(3)]
    eservices.append(make_eservice(staff.other_unit, workflow_key="fraga"))
    for day in (today(), today() - timedelta(days=1)):
        for _ in range(40):
            es = rng.choice([*eservices, None])
            add_events(
                rng.choice(["form_submitted", "eservice_view", "case_transition", "site_visit"]),
                local(day, rng.randint(0, 23), rng.randint(0, 59)),
                rng.randint(1, 3),
                eservice_id=es.id if es else None,
                channel=rng.choice(["webform", "facebook", None]),
                unit_id=rng.choice([es.unit_id, None]) if es else None,
            )
    for _ in range(24):
        es = rng.choice([*eservices, None])
        day = rng.choice([today(), today() - timedelta(days=1)])
        case = make_case(
            staff.unit,
            eservice=es,
            workflow_key="fraga",
            channel=rng.choice([Channel.WEBFORM, Channel.FACEBOOK, Channel.EMAIL]),
            opened_at=local(day - timedelta(days=rng.choice([0, 3])), 0, 0),
        )
        if rng.random() < 0.7:
            transition_case(case, "dismiss", actor=staff.handlaggare, note="Klart.")
            case.closed_at = local(day, rng.choice([0, 12, 23]), rng.choice([0, 30, 59]))
            case.due_date = rng.choice([None, day, day - timedelta(days=1), day + timedelta(1)])
            if rng.random() < 0.4:
                case.clock_stopped_at = case.closed_at - timedelta(minutes=rng.choice([1, 90]))
        if rng.random() < 0.3:
            case.delay_notice_sent_at = local(day, 9)
    db.session.flush()


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York", "Asia/Tokyo"])
def test_day_counts_equal_the_cells_spread_in_python(staff, app: Flask, zone: str) -> None:
    _day_of_everything(staff, seed=len(zone))
    app.config["TIMEZONE"], saved = zone, app.config["TIMEZONE"]
    seen = set()
    try:
        for day in (today(), today() - timedelta(days=1)):
            expected = by_dimension(day_cells(day))
            seen |= {m for m, _d, _k in expected}
            assert day_counts(day) == expected
            for some in (
                ["form_submitted", "case_closed_in_time"],  # events and cases
                ["site_visit", "eservice_view"],  # events only
                ["case_opened", "delay_notice_sent"],  # cases only
            ):
                assert day_counts(day, some) == by_dimension(day_cells(day, some))
    finally:
        app.config["TIMEZONE"] = saved
    assert seen >= set(CASE_METRICS)


def test_no_cases_and_no_events_give_no_counts(staff) -> None:
    assert day_counts(today() - timedelta(days=400)) == {}


def test_a_case_closed_late_in_the_local_evening_is_judged_by_the_local_day(staff) -> None:
    eservice = make_eservice(staff.unit, workflow_key="fraga")
    case = make_case(
        staff.unit, eservice=eservice, workflow_key="fraga", opened_at=utcnow() - timedelta(days=3)
    )
    transition_case(case, "dismiss", actor=staff.handlaggare, note="Klart.")
    yesterday = today() - timedelta(days=1)
    case.closed_at = local(yesterday, 23, 30)  # 21:30 or 22:30 UTC: still the due date here
    case.due_date = yesterday
    case.clock_stopped_at = None  # the dismissal stopped the clock now; ended is closed_at
    db.session.flush()
    counts = day_counts(yesterday, ["case_closed", "case_closed_in_time"])
    assert counts[("case_closed_in_time", "eservice", str(eservice.id))] == 1
    assert counts[("case_closed", "all", "")] == counts[("case_closed_in_time", "all", "")] == 1
