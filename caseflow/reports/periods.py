"""Local days and reporting periods: reports count by the Swedish calendar, storage is UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from caseflow.db import utcnow
from caseflow.timeutil import local_date, local_zone

GROUPS = ("day", "week", "month", "year")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where local ``day`` begins and the next day begins (DST-aware)."""
    zone = local_zone()
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants of the local days ``first`` to ``last`` inclusive."""
    return day_bounds(first)[0], day_bounds(last)[1]


def today() -> date:
    return local_date(utcnow())


def days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def period_start(day: date, group: str) -> date:
    """The first day of the ``group`` period containing ``day`` (ISO weeks start Monday)."""
    if group == "day":
        return day
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return day.replace(day=1)
    if group == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown group {group!r}")


def period_label(start: date, group: str) -> str:
    if group == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if group == "month":
        return start.strftime("%Y-%m")
    if group == "year":
        return str(start.year)
    return start.isoformat()


def spans(sorted_days: list[date]) -> list[tuple[date, date]]:
    """Contiguous runs of days, e.g. the days a report must read from raw events."""
    out: list[tuple[date, date]] = []
    for d in sorted_days:
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out
