"""The goal metrics over raw data: visits, digital share, cases per e-service, deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from caseflow.db import utcnow
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.reports.metrics import metric_value
from caseflow.reports.models import ExternalCount
from caseflow.reports.periods import today
from caseflow.usage.kinds import SITE_VISIT
from tests.factories import make_case, make_eservice
from tests.reports.conftest import add_events, local


def test_website_visits_prefer_matomo_and_fall_back_to_the_beacon() -> None:
    d1, d2 = date(2026, 3, 2), date(2026, 3, 3)
    db.session.add(ExternalCount(day=d1, metric="website_visits", source="matomo", value=500))
    db.session.flush()
    add_events(SITE_VISIT, local(d1), 7, channel="web")  # Matomo wins on d1
    add_events(SITE_VISIT, local(d2), 9, channel="web")  # beacon only on d2
    assert metric_value("website_visits", d1, d2) == 509


def test_digital_case_share_counts_cases_opened_in_the_period(staff) -> None:
    opened = utcnow() - timedelta(hours=1)
    for channel in (Channel.WEBFORM, Channel.FACEBOOK, Channel.X, Channel.PHONE, Channel.VISIT):
        make_case(staff.unit, channel=channel, opened_at=opened)
    assert metric_value("digital_case_share", today(), today()) == 60.0
    assert metric_value("digital_case_share", date(2001, 1, 1), date(2001, 1, 2)) is None


def test_cases_per_eservice_for_one_or_on_average(staff) -> None:
    es1 = make_eservice(staff.unit, slug="en", published_at=utcnow() - timedelta(days=5))
    es2 = make_eservice(staff.unit, slug="tva", published_at=utcnow() - timedelta(days=5))
    opened = utcnow() - timedelta(hours=1)
    for _ in range(3):
        make_case(staff.unit, eservice=es1, opened_at=opened)
    make_case(staff.unit, eservice=es2, opened_at=opened)
    make_case(staff.unit, opened_at=opened)  # not through an e-service
    assert metric_value("cases_per_eservice", today(), today(), {"eservice": "en"}) == 3
    assert metric_value("cases_per_eservice", today(), today()) == 2.0
    assert metric_value("cases_per_eservice", today(), today(), {"eservice": "saknas"}) is None


def test_sla_share_is_undefined_without_closed_cases() -> None:
    assert metric_value("sla_share", date(2001, 1, 1), date(2001, 12, 31)) is None


def test_sla_share_counts_cases_closed_by_their_due_date(staff) -> None:
    from caseflow.cases.transitions import transition_case

    late = make_case(staff.unit, workflow_key="fraga", opened_at=utcnow() - timedelta(days=40))
    on_time = make_case(staff.unit, workflow_key="fraga", opened_at=utcnow() - timedelta(days=1))
    for case in (late, on_time):  # ten working days each
        transition_case(case, "dismiss", actor=staff.handlaggare, note="Klart.")
    assert late.due_date < today() <= on_time.due_date
    assert metric_value("sla_share", today(), today()) == 50.0
