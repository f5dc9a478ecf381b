"""Swedish working days for handling-time deadlines.

A working day is Monday to Friday that is not a Swedish public holiday (``holidays``, country
``SE``) and not one of the eves that Swedish municipalities treat as holidays in practice:
midsommarafton, julafton and nyårsafton (the Annual Leave Act, SFS 1977:480 § 7, treats them
like Sundays, and municipal offices are closed). Some versions of ``holidays`` list every
Sunday as a Swedish holiday and some do not; weekends are excluded first, so it makes no
difference here.

Counting convention: ``add_working_days(start, n)`` is the n-th working day after ``start``
(``start`` itself never counts), and ``working_days_between(start, end)`` counts the working
days in ``(start, end]``, so the two are inverse for working days.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays


@functools.cache
def _non_working_weekdays(year: int) -> frozenset[date]:
    """Public holidays and de facto holidays of ``year`` that fall on Monday to Friday."""
    days = set(holidays.country_holidays("SE", years=year))
    days.add(date(year, 12, 24))  # julafton
    days.add(date(year, 12, 31))  # nyårsafton
    june_19 = date(year, 6, 19)  # midsommarafton: the Friday between 19 and 25 June
    days.add(june_19 + timedelta(days=(4 - june_19.weekday()) % 7))
    return frozenset(d for d in days if d.weekday() < 5)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _non_working_weekdays(d.year)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (before it when n is negative; ``start`` if 0)."""
    step = timedelta(days=1 if n >= 0 else -1)
    d = start
    for _ in range(abs(n)):
        d += step
        while not is_working_day(d):
            d += step
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i))
    )


def due_date_after_pause(due: date, paused_from: date, resumed_on: date) -> date:
    """Move ``due`` later by the working days the clock stood still.

    The pause counts the working days in ``(paused_from, resumed_on]``: pausing and resuming
    on the same day costs nothing, pausing on Monday and resuming on Wednesday adds two days.
    """
    return add_working_days(due, max(0, working_days_between(paused_from, resumed_on)))
