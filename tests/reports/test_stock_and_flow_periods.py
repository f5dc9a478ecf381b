"""Stocks are read at the period end, flows are summed over the period, in Swedish days."""

from __future__ import annotations

from datetime import date

from caseflow.reports.goals import evaluate
from caseflow.reports.metrics import metric_value
from caseflow.reports.models import Goal
from caseflow.usage.kinds import CITIZEN_REPLY, FORM_SUBMITTED, PAGE_VIEW
from tests.factories import make_eservice
from tests.reports.conftest import add_events, local

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))
Y2026 = (date(2026, 1, 1), date(2026, 12, 31))


def test_flow_events_count_on_the_swedish_day_they_happened() -> None:
    # 23:30 on New Year's Eve in Stockholm, and 00:30 on New Year's Day (still 2025 in UTC).
    add_events(FORM_SUBMITTED, local(date(2025, 12, 31), 23, 30))
    add_events(CITIZEN_REPLY, local(date(2026, 1, 1), 0, 30), 2)
    add_events(PAGE_VIEW, local(date(2026, 1, 1), 0, 45), 5)  # not dialogue
    assert local(date(2026, 1, 1), 0, 30).year == 2025
    assert metric_value("digital_dialogue", *Y2025) == 1
    assert metric_value("digital_dialogue", *Y2026) == 2


def test_flow_is_summed_over_the_period_and_stock_is_read_at_its_end() -> None:
    make_eservice(published_at=local(date(2025, 3, 1)))
    make_eservice(published_at=local(date(2026, 1, 1), 0, 30))
    for month in (2, 5, 8):
        add_events(FORM_SUBMITTED, local(date(2026, month, 10)), 10)
    # A stock over a period is its value at the end, not a sum over the period's days.
    assert metric_value("published_eservices", *Y2025) == 1
    assert metric_value("published_eservices", *Y2026) == 2
    assert metric_value("published_eservices", date(2026, 1, 1), date(2026, 1, 1)) == 2
    # A flow over a period is the sum of its days.
    assert metric_value("digital_dialogue", *Y2026) == 30
    assert metric_value("digital_dialogue", date(2026, 1, 1), date(2026, 5, 31)) == 20


def test_eservices_published_and_retired_inside_the_period() -> None:
    make_eservice(published_at=local(date(2024, 5, 1)))  # published before, still live
    make_eservice(  # live at the end of 2025, retired during 2026
        published_at=local(date(2024, 5, 1)), retired_at=local(date(2026, 4, 1))
    )
    make_eservice(  # published and retired inside 2026: never live at either end
        published_at=local(date(2026, 2, 1)), retired_at=local(date(2026, 9, 1))
    )
    make_eservice(published_at=local(date(2026, 6, 1)))  # new in 2026
    make_eservice(published_at=None)  # a draft never counts
    assert metric_value("published_eservices", *Y2025) == 2
    assert metric_value("published_eservices", *Y2026) == 2
    assert metric_value("published_eservices", date(2026, 1, 1), date(2026, 6, 30)) == 3


def test_stock_is_read_at_the_last_instant_of_the_period() -> None:
    # Retired at the stroke of midnight: live through all of 31 December, gone on 1 January.
    make_eservice(published_at=local(date(2024, 1, 10)), retired_at=local(date(2026, 1, 1), 0, 0))
    # Published at the stroke of midnight: not yet live on 31 December.
    make_eservice(published_at=local(date(2026, 1, 1), 0, 0))
    assert metric_value("published_eservices", *Y2025) == 1
    assert metric_value("published_eservices", date(2026, 1, 1), date(2026, 1, 1)) == 1


def test_published_eservices_goal_met_after_the_period() -> None:
    for _ in range(5):
        make_eservice(published_at=local(date(2025, 1, 10)))
    make_eservice(published_at=local(date(2026, 3, 1)))
    make_eservice(published_at=local(date(2025, 1, 10)), retired_at=local(date(2026, 5, 1)))
    goal = Goal(
        slug="fler-e-tjanster",
        title_sv="Fler e-tjänster",
        title_en="More e-services",
        metric="published_eservices",
        params={},
        baseline_start=Y2025[0],
        baseline_end=Y2025[1],
        target_start=Y2026[0],
        target_end=Y2026[1],
        target_change=20.0,
        direction="increase",
    )
    result = evaluate(goal, as_of=date(2027, 1, 5))
    assert (result.baseline, result.current, result.growth) == (6, 6, 0.0)
    assert result.status == "behind"
