"""Fixtures for transitions on real cases: a unit, staff of every role, cases per workflow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.units.models import Unit
from tests.factories import make_case, make_citizen, make_eservice, make_unit, make_user


@dataclass
class Staff:
    unit: Unit
    other_unit: Unit
    handlaggare: User
    enhetschef: User
    registrator: User
    admin: User
    outsider: User  # a handläggare of another unit


@pytest.fixture
def staff() -> Staff:
    unit, other = make_unit(), make_unit()
    return Staff(
        unit=unit,
        other_unit=other,
        handlaggare=make_user("handlaggare", units=[unit]),
        enhetschef=make_user("enhetschef", units=[unit]),
        registrator=make_user("registrator"),
        admin=make_user("admin"),
        outsider=make_user("handlaggare", units=[other]),
    )


@pytest.fixture
def new_case(staff: Staff) -> Callable[..., Case]:
    """``new_case(workflow="arende", **kw)``: a case in ``staff.unit`` with a citizen."""

    def _make(workflow: str = "arende", **kw: Any) -> Case:
        eservice = make_eservice(staff.unit, workflow_key=workflow, handling_days=10)
        kw.setdefault("citizen", make_citizen())
        return make_case(staff.unit, eservice=eservice, **kw)

    return _make
