"""Conversions between stored UTC and the municipality's local calendar."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

DEFAULT_TZ = "Europe/Stockholm"


def local_zone() -> ZoneInfo:
    try:
        return ZoneInfo(current_app.config.get("TIMEZONE", DEFAULT_TZ))
    except RuntimeError:  # outside an app context (scripts, pure tests)
        return ZoneInfo(DEFAULT_TZ)


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of a UTC moment (what deadlines and yearly serials use)."""
    return moment.astimezone(local_zone()).date()


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())
