"""Swedish working days, checked by hand against the 2026 and 2027 calendars."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.calendar import (
    add_working_days,
    due_date_after_pause,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 2), True),  # skärtorsdag is a working day
        (date(2026, 4, 3), False),  # långfredag
        (date(2026, 4, 5), False),  # påskdagen (Sunday)
        (date(2026, 4, 6), False),  # annandag påsk
        (date(2026, 4, 7), True),
        (date(2026, 5, 14), False),  # Kristi himmelsfärds dag
        (date(2026, 6, 19), False),  # midsommarafton (de facto)
        (date(2026, 6, 22), True),
        (date(2026, 12, 24), False),  # julafton (de facto)
        (date(2026, 12, 25), False),  # juldagen
        (date(2026, 12, 28), True),
        (date(2026, 12, 31), False),  # nyårsafton (de facto)
        (date(2027, 1, 1), False),  # nyårsdagen
        (date(2027, 1, 6), False),  # trettondedag jul
        (date(2027, 6, 25), False),  # midsommarafton 2027
        (date(2026, 3, 1), False),  # an ordinary Sunday
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 3, 9), True),  # an ordinary Monday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Easter 2026: Fri 3 Apr to Mon 6 Apr are off.
        (date(2026, 4, 1), 1, date(2026, 4, 2)),
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 3, 30), 10, date(2026, 4, 15)),
        # Midsommar 2026: Fri 19 Jun is off (lördag 20 Jun is a weekend anyway).
        (date(2026, 6, 18), 1, date(2026, 6, 22)),
        (date(2026, 6, 15), 5, date(2026, 6, 23)),
        # Christmas 2026: 24, 25, 31 Dec, 1 and 6 Jan off; 28-30 Dec work.
        (date(2026, 12, 23), 1, date(2026, 12, 28)),
        (date(2026, 12, 23), 4, date(2027, 1, 4)),
        (date(2026, 12, 21), 10, date(2027, 1, 11)),  # 6 Jan (trettondedag) off too
        # Weekends and zero.
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 0, date(2026, 3, 7)),
        (date(2026, 3, 9), -1, date(2026, 3, 6)),
        (date(2026, 4, 7), -1, date(2026, 4, 2)),
    ],
)
def test_add_working_days(start: date, n: int, due: date) -> None:
    assert add_working_days(start, n) == due


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 4, 2), date(2026, 4, 7), 1),
        (date(2026, 3, 30), date(2026, 4, 15), 10),
        (date(2026, 12, 21), date(2027, 1, 8), 9),
        (date(2026, 3, 9), date(2026, 3, 9), 0),
        (date(2026, 4, 7), date(2026, 4, 2), -1),
    ],
)
def test_working_days_between(start: date, end: date, days: int) -> None:
    assert working_days_between(start, end) == days


def test_counting_is_the_inverse_of_adding() -> None:
    start = date(2026, 1, 1)
    for n in range(0, 260, 7):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_pause_over_easter_extends_by_working_days_only() -> None:
    # Due 15 Apr; paused on Wed 1 Apr, resumed on Wed 8 Apr: 2, 7 and 8 Apr were lost.
    assert due_date_after_pause(date(2026, 4, 15), date(2026, 4, 1), date(2026, 4, 8)) == date(
        2026, 4, 20
    )


def test_pause_and_resume_on_one_day_changes_nothing() -> None:
    assert due_date_after_pause(date(2026, 6, 23), date(2026, 6, 16), date(2026, 6, 16)) == date(
        2026, 6, 23
    )


def test_pause_over_christmas() -> None:
    # Paused Tue 22 Dec, resumed Mon 4 Jan: 23, 28, 29, 30 Dec and 4 Jan are five working days.
    due = date(2026, 12, 30)
    assert due_date_after_pause(due, date(2026, 12, 22), date(2027, 1, 4)) == date(2027, 1, 11)


def test_pause_over_a_weekend_only_costs_nothing() -> None:
    assert due_date_after_pause(date(2026, 3, 20), date(2026, 3, 13), date(2026, 3, 15)) == date(
        2026, 3, 20
    )
