"""Fixtures for goal tracking: staff of the report roles, and helpers that write raw events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from caseflow.auth.models import User
from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.usage.models import UsageEvent
from tests.factories import make_unit, make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A UTC instant at ``hour:minute`` Swedish time on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


def add_events(
    kind: str,
    at: datetime,
    n: int = 1,
    *,
    eservice_id: int | None = None,
    channel: str | None = None,
    unit_id: int | None = None,
) -> None:
    db.session.add_all(
        UsageEvent(
            kind=kind, eservice_id=eservice_id, channel=channel, unit_id=unit_id, occurred_at=at
        )
        for _ in range(n)
    )
    db.session.flush()


def days_ago(n: int) -> date:
    return datetime.now(STOCKHOLM).date() - timedelta(days=n)


@dataclass
class ReportStaff:
    unit: Unit
    other_unit: Unit
    enhetschef: User
    admin: User
    handlaggare: User
    registrator: User


@pytest.fixture
def staff() -> ReportStaff:
    unit, other = make_unit(), make_unit()
    return ReportStaff(
        unit=unit,
        other_unit=other,
        enhetschef=make_user("enhetschef", units=[unit]),
        admin=make_user("admin"),
        handlaggare=make_user("handlaggare", units=[unit]),
        registrator=make_user("registrator"),
    )
