"""The goals report reads today's events and cases once per request (on PostgreSQL together
with the rollup generation, in one statement), and each request sees what changed since the
one before: a new event, a new case, a case closed late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g

from caseflow.cases.transitions import transition_case
from caseflow.db import utcnow
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.reports import rollup_cache
from caseflow.reports.periods import today
from caseflow.reports.raw_days import one_reading, raw_day
from caseflow.reports.rollup import rollup_day
from caseflow.usage.kinds import FORM_SUBMITTED, SITE_VISIT
from tests.factories import make_case, make_eservice, make_goal
from tests.reports.conftest import add_events, local
from tests.sql import recorded_statements

AUTH_TABLES = ("FROM users", "FROM user_units", "JOIN user_units")
METRICS = ("digital_dialogue", "digital_case_share", "sla_share", "published_eservices")


def _goals() -> None:
    """One goal per metric, target period this year (today included), baseline last year."""
    for position, metric in enumerate(METRICS):
        make_goal(metric, year=today().year, position=position)


def _current(client) -> tuple[dict[str, float | None], list[str]]:
    """Each goal's current value, as a new request (a new app context) sees it, and the
    report's own statements."""
    g.pop(rollup_cache.GENERATION_KEY, None)
    with recorded_statements(db.engine) as seen:
        response = client.get("/api/v1/reports/goals")
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    own = [s for s in seen if not any(table in s for table in AUTH_TABLES)]
    return {item["metric"]: item["current"] for item in items}, own


def test_each_goals_request_sees_new_events_new_cases_and_a_case_closed_late(
    staff, client_as
) -> None:
    _goals()
    yesterday = today() - timedelta(days=1)
    add_events(FORM_SUBMITTED, local(yesterday, 10), 3, channel="webform")
    rollup_day(yesterday)  # days before the first rollup hold no data: only today is raw
    older = make_case(staff.unit, workflow_key="fraga", opened_at=utcnow() - timedelta(days=5))
    client = client_as(staff.enhetschef)
    before, _ = _current(client)

    add_events(FORM_SUBMITTED, utcnow(), 2, channel="webform")
    add_events(SITE_VISIT, utcnow(), 4, channel="web")  # not dialogue
    answered = make_case(staff.unit, workflow_key="fraga", channel=Channel.FACEBOOK)
    make_case(staff.unit, workflow_key="fraga", channel=Channel.PHONE)
    transition_case(answered, "dismiss", actor=staff.handlaggare, note="Klart.")  # in time
    after, _ = _current(client)
    assert after["digital_dialogue"] == before["digital_dialogue"] + 2
    assert after["digital_case_share"] == 50.0  # facebook and phone opened today (older: not)
    assert (before["sla_share"], after["sla_share"]) == (None, 100.0)

    transition_case(older, "dismiss", actor=staff.handlaggare, note="Klart.")
    older.due_date = yesterday  # closed today, a day late
    db.session.flush()
    late, _ = _current(client)
    assert late["sla_share"] == 50.0
    assert late["digital_dialogue"] == after["digital_dialogue"]


@pytest.mark.postgres
def test_today_is_read_once_with_the_rollup_generation(staff, client_as) -> None:
    _goals()
    add_events(FORM_SUBMITTED, utcnow(), 2, channel="webform")
    make_case(staff.unit, channel=Channel.WEBFORM)
    rollup_day(today() - timedelta(days=1))
    client = client_as(staff.enhetschef)
    _current(client)  # fills the rollup cache
    _values, own = _current(client)
    today_reads = [s for s in own if "FROM usage_events" in s or "FROM cases" in s]
    assert len(today_reads) == 1, own
    assert "FROM rollup_runs" in today_reads[0] and "FROM cases" in today_reads[0]
    assert not any("usage_rollup" in s for s in own)  # rolled-up sums come from the cache
    assert len(own) <= 5, own


@pytest.mark.postgres
def test_a_metric_the_report_did_not_declare_is_still_counted(staff) -> None:
    add_events(SITE_VISIT, utcnow(), 3, channel="web")
    add_events(FORM_SUBMITTED, utcnow(), 2, channel="webform")
    g.pop(rollup_cache.GENERATION_KEY, None)
    with one_reading(today_metrics={SITE_VISIT}):
        with recorded_statements() as declared:
            assert raw_day(today(), [SITE_VISIT])[(SITE_VISIT, "all", "")] == 3
        with recorded_statements() as undeclared:
            assert raw_day(today(), [FORM_SUBMITTED])[(FORM_SUBMITTED, "all", "")] == 2
    assert (len(declared), len(undeclared)) == (0, 1)  # read with the generation; then whole


def test_published_e_services_are_read_once_per_report_and_anew_by_the_next(
    staff, client_as
) -> None:
    _goals()
    long_ago, just_now = utcnow() - timedelta(days=800), utcnow() - timedelta(minutes=1)
    make_eservice(staff.unit, published_at=long_ago)
    make_eservice(staff.unit, published_at=long_ago, retired_at=just_now)  # only last year
    make_eservice(staff.unit, published_at=just_now)
    make_eservice(staff.unit, published_at=just_now)
    make_eservice(staff.unit, published_at=None)  # a draft
    rollup_day(today() - timedelta(days=1))  # the other goals read today only, not 365 days
    client = client_as(staff.enhetschef)
    item = _goal(client, "published_eservices")
    assert (item["baseline"], item["current"]) == (2, 3)
    make_eservice(staff.unit, published_at=just_now)
    assert _goal(client, "published_eservices")["current"] == 4


def _goal(client, metric: str) -> dict:
    g.pop(rollup_cache.GENERATION_KEY, None)
    items = client.get("/api/v1/reports/goals").get_json()["items"]
    return next(item for item in items if item["metric"] == metric)
