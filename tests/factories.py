"""Factories for tests: they add and flush, never commit."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from caseflow.auth.models import User
from caseflow.auth.passwords import hash_password
from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.enums import Channel, Role
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.reports.models import Goal
from caseflow.timeutil import local_date
from caseflow.units.models import Unit

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
_HASH: dict[str, str] = {}


def _letters(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = chr(65 + r) + out
        if n == 0:
            return out
        n -= 1


def make_unit(prefix: str | None = None, **kw: Any) -> Unit:
    n = next(_seq)
    unit = Unit(name=kw.pop("name", f"Enhet {n}"), prefix=prefix or f"T{_letters(n)}", **kw)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(
    role: Role | str = Role.HANDLAGGARE, units: list[Unit] | None = None, **kw: Any
) -> User:
    n = next(_seq)
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = hash_password(PASSWORD)
    user = User(
        email=kw.pop("email", f"user{n}@kommun.example"),
        name=kw.pop("name", f"Handläggare {n}"),
        password_hash=_HASH[PASSWORD],
        role=Role(role).value,
        units=units or [],
        **kw,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_eservice(unit: Unit | None = None, **kw: Any) -> EService:
    n = next(_seq)
    unit = unit or make_unit()
    eservice = EService(
        slug=kw.pop("slug", f"e-tjanst-{n}"),
        title_sv=kw.pop("title_sv", f"E-tjänst {n}"),
        title_en=kw.pop("title_en", f"E-service {n}"),
        unit=unit,
        unit_id=unit.id,
        workflow_key=kw.pop("workflow_key", "arende"),
        handling_days=kw.pop("handling_days", 10),
        form=kw.pop(
            "form",
            {
                "fields": [
                    {
                        "name": "beskrivning",
                        "type": "textarea",
                        "required": True,
                        "label_sv": "Beskrivning",
                        "label_en": "Description",
                    }
                ]
            },
        ),
        published_at=kw.pop("published_at", utcnow()),
        **kw,
    )
    db.session.add(eservice)
    db.session.flush()
    return eservice


def make_citizen(**kw: Any) -> Citizen:
    n = next(_seq)
    citizen = Citizen(
        name=kw.pop("name", f"Medborgare {n}"),
        email=kw.pop("email", f"medborgare{n}@example.se"),
        phone=kw.pop("phone", "070-123 45 67"),
        **kw,
    )
    db.session.add(citizen)
    db.session.flush()
    return citizen


def make_case(unit: Unit | None = None, **kw: Any) -> Case:
    unit = unit or make_unit()
    return open_case(
        unit=unit,
        title=kw.pop("title", "Trasig gatlykta"),
        channel=kw.pop("channel", Channel.WEBFORM),
        **kw,
    )


def make_goal(metric: str, *, year: int | None = None, **kw: Any) -> Goal:
    """A goal on ``metric``: +10 % this year (``year``) against last year, unless overridden."""
    year = year or local_date(utcnow()).year
    values: dict[str, Any] = {
        "slug": metric.replace("_", "-"),
        "title_sv": metric,
        "title_en": metric,
        "metric": metric,
        "params": {},
        "baseline_start": date(year - 1, 1, 1),
        "baseline_end": date(year - 1, 12, 31),
        "target_start": date(year, 1, 1),
        "target_end": date(year, 12, 31),
        "target_change": 10.0,
        "direction": "increase",
    }
    goal = Goal(**{**values, **kw})
    db.session.add(goal)
    db.session.flush()
    return goal
