"""Growth and status: the table from the issue, by pure arithmetic and through stored goals."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.extensions import db
from caseflow.reports import goal_math
from caseflow.reports.goals import evaluate
from caseflow.reports.models import Goal, HistoricalFigure

BASE = (date(2010, 1, 1), date(2010, 12, 31))
TARGET = (date(2011, 1, 1), date(2011, 12, 31))
AFTER = date(2012, 1, 15)


@pytest.mark.parametrize(
    ("baseline", "current", "growth", "status"),
    [
        (50, 60, 20.0, "met"),
        (1_000_000, 1_150_000, 15.0, "behind"),
        (0, 5, None, "undefined"),
        (200, 150, -25.0, "behind"),
        (3, 4, 33.3, "met"),
        (3, 2, -33.3, "behind"),
    ],
)
def test_growth_table(baseline: int, current: int, growth: float | None, status: str) -> None:
    assert goal_math.growth(baseline, current) == growth
    assert (
        goal_math.status(
            baseline=baseline,
            current=current,
            projected=current,
            target_change=20.0,
            direction="increase",
            target_start=TARGET[0],
            target_end=TARGET[1],
            as_of=AFTER,
        )
        == status
    )


def _goal(
    metric: str = "website_visits", change: float = 20.0, direction: str = "increase"
) -> Goal:
    goal = Goal(
        slug=f"mal-{metric.replace('_', '-')}-{int(change)}",
        title_sv="Mål",
        title_en="Goal",
        metric=metric,
        params={},
        baseline_start=BASE[0],
        baseline_end=BASE[1],
        target_start=TARGET[0],
        target_end=TARGET[1],
        target_change=change,
        direction=direction,
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def _figures(metric: str, baseline: float, current: float) -> None:
    db.session.add_all(
        [
            HistoricalFigure(
                metric=metric, period_start=BASE[0], period_end=BASE[1], value=baseline
            ),
            HistoricalFigure(
                metric=metric, period_start=TARGET[0], period_end=TARGET[1], value=current
            ),
        ]
    )
    db.session.flush()


@pytest.mark.parametrize(
    ("baseline", "current", "growth", "status"),
    [(50, 60, 20.0, "met"), (1_000_000, 1_150_000, 15.0, "behind"), (0, 5, None, "undefined")],
)
def test_stored_goal_with_entered_figures(
    baseline: int, current: int, growth: float | None, status: str
) -> None:
    _figures("website_visits", baseline, current)
    result = evaluate(_goal(), as_of=AFTER)
    assert (result.baseline, result.current) == (baseline, current)
    assert result.growth == growth
    assert result.status == status


def test_decrease_goal_is_met_by_falling_enough() -> None:
    _figures("website_visits", 100, 85)
    result = evaluate(_goal(change=-10.0, direction="decrease"), as_of=AFTER)
    assert (result.growth, result.status) == (-15.0, "met")


def test_flow_running_behind_its_pace_but_projected_past_target_is_on_track() -> None:
    # Half the year gone, 55 % of last year's total already counted: projection +10 %.
    status = goal_math.status(
        baseline=1000,
        current=550,
        projected=goal_math.project_flow(550, TARGET[0], TARGET[1], date(2011, 7, 2)),
        target_change=5.0,
        direction="increase",
        target_start=TARGET[0],
        target_end=TARGET[1],
        as_of=date(2011, 7, 2),
    )
    assert status == "on_track"


def test_stock_projection_is_the_line_through_baseline_and_today() -> None:
    # 10 at the end of 2010, 11 at the end of June 2011: the line reaches 12 at the year's end.
    projected = goal_math.project_stock(10, date(2010, 12, 31), 11, date(2011, 7, 2), TARGET[1])
    assert round(projected, 1) == 12.0


def test_goal_not_started_before_its_target_period() -> None:
    _figures("website_visits", 50, 60)
    assert evaluate(_goal(), as_of=date(2010, 6, 1)).status == "not_started"
