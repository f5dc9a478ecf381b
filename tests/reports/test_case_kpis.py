"""Case KPIs against an independent computation over the cases the test opened and closed."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta

from caseflow.cases.transitions import transition_case
from caseflow.db import utcnow
from caseflow.enums import Channel
from caseflow.reports.periods import today
from caseflow.reports.rollup import rollup_day
from caseflow.reports.usage_queries import usage_series
from caseflow.timeutil import local_date
from tests.factories import make_case, make_eservice
from workflows.calendar import working_days_between

AGES = [1, 2, 4, 7, 11, 16, 22, 29, 35, 44]  # calendar days since opening


def _closed_cases(staff):
    eservice = make_eservice(staff.unit, workflow_key="fraga", handling_days=10)
    cases = []
    for i, age in enumerate(AGES):
        case = make_case(
            staff.unit,
            eservice=eservice,
            workflow_key="fraga",
            channel=Channel.PHONE if i % 3 == 0 else Channel.WEBFORM,
            opened_at=utcnow() - timedelta(days=age),
            sla_days=10,
        )
        transition_case(case, "dismiss", actor=staff.handlaggare, note="Inget att göra.")
        cases.append(case)
    make_case(staff.other_unit, channel=Channel.EMAIL)  # another unit: not the unit lead's
    return cases


def test_handling_time_deadline_and_digital_share(staff, client_as) -> None:
    cases = _closed_cases(staff)
    days = sorted(
        working_days_between(local_date(c.opened_at), local_date(c.closed_at)) for c in cases
    )
    in_time = sum(1 for c in cases if local_date(c.closed_at) <= c.due_date)
    response = client_as(staff.enhetschef).get(
        f"/api/v1/reports/cases?from={today() - timedelta(days=60)}&to={today()}"
    )
    (row,) = response.get_json()["items"]
    assert row["opened"] == 10 and row["closed"] == 10
    assert row["median_handling_days"] == statistics.median(days)
    assert row["p90_handling_days"] == days[math.ceil(0.9 * len(days)) - 1]
    assert row["within_deadline_share"] == round(in_time / 10 * 100, 1)
    assert row["digital_share"] == 60.0  # 4 of 10 by phone
    assert set(row["avg_days_in_state"]) == {"ny"}
    expected_ny = sum((c.closed_at - c.opened_at).total_seconds() / 86400 for c in cases) / 10
    assert abs(row["avg_days_in_state"]["ny"] - expected_ny) < 0.051


def test_admin_sees_every_unit_by_channel(staff, client_as) -> None:
    _closed_cases(staff)
    rows = client_as(staff.admin).get("/api/v1/reports/cases?by=channel").get_json()["items"]
    assert {r["key"]: r["opened"] for r in rows} == {"phone": 4, "webform": 6, "email": 1}


def test_closed_cases_roll_up_with_their_deadline_outcome(staff) -> None:
    cases = _closed_cases(staff)
    yesterday = today() - timedelta(days=1)
    for back in range(50):
        rollup_day(today() - timedelta(days=back + 1))
    first = today() - timedelta(days=50)
    opened = usage_series(["case_opened"], first, yesterday, by="unit")
    assert sum(n for (_d, key), n in opened.items() if key == str(staff.unit.id)) == 10
    # Closed today: not rolled up yet, read raw, and all of them closed in time or not.
    closed = sum(usage_series(["case_closed"], first, today()).values())
    in_time = sum(usage_series(["case_closed_in_time"], first, today()).values())
    assert closed == 10
    assert in_time == sum(1 for c in cases if local_date(c.closed_at) <= c.due_date)


def test_cases_csv_flattens_time_in_state(staff, client_as) -> None:
    _closed_cases(staff)
    text = client_as(staff.admin).get("/api/v1/reports/cases?format=csv").get_data(as_text=True)
    header, row, *_ = text.splitlines()
    assert header.startswith("key,label,opened,closed,")
    assert "ny=" in row
