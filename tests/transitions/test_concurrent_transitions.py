"""Two transitions on one case at once: the row lock lets exactly one win (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

import caseflow.cases.transitions as transitions
from caseflow.audit.models import CaseEvent
from caseflow.auth.models import User, user_units
from caseflow.cases.models import Case, CaseSequence, CaseStatusChange
from caseflow.citizens.models import Citizen
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.units.models import Unit
from caseflow.usage.models import UsageEvent
from tests.factories import make_case, make_citizen, make_eservice, make_unit, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]


@pytest.fixture
def committed() -> Iterator[dict[str, Any]]:
    """A committed case and two caseworkers of its unit; everything is deleted afterwards."""
    unit = make_unit()
    eservice = make_eservice(unit)
    citizen = make_citizen()
    case = make_case(unit, eservice=eservice, citizen=citizen)
    first = make_user("registrator")
    second = make_user("handlaggare", units=[unit])
    db.session.commit()
    ids = {"unit": unit.id, "case": case.id, "eservice": eservice.id, "citizen": citizen.id}
    yield {"case": case, "first": first, "second": second}
    db.session.rollback()
    user_ids = [first.id, second.id]
    for stmt in (
        sa.delete(OutboxMail).where(OutboxMail.case_id == ids["case"]),
        sa.delete(UsageEvent).where(UsageEvent.unit_id == ids["unit"]),
        sa.delete(CaseEvent).where(CaseEvent.case_id == ids["case"]),
        sa.delete(CaseStatusChange).where(CaseStatusChange.case_id == ids["case"]),
        sa.delete(Case).where(Case.id == ids["case"]),
        sa.delete(CaseSequence).where(CaseSequence.unit_id == ids["unit"]),
        sa.delete(EService).where(EService.id == ids["eservice"]),
        sa.delete(user_units).where(user_units.c.user_id.in_(user_ids)),
        sa.delete(User).where(User.id.in_(user_ids)),
        sa.delete(Citizen).where(Citizen.id == ids["citizen"]),
        sa.delete(Unit).where(Unit.id == ids["unit"]),
    ):
        db.session.execute(stmt)
    db.session.commit()


def test_two_concurrent_transitions_one_wins_the_other_gets_409(
    app: Flask,
    committed: dict[str, Any],
    client_as: Callable[[User], FlaskClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_decide = transitions.decide

    def slow_decide(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)  # hold the row lock long enough for the other request to queue
        return real_decide(*args, **kwargs)

    monkeypatch.setattr(transitions, "decide", slow_decide)
    case = committed["case"]
    clients = [client_as(committed["first"]), client_as(committed["second"])]
    url = f"/api/v1/cases/{case.reference_key}/transitions"
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def fire(client: FlaskClient) -> None:
        barrier.wait()
        statuses.append(client.post(url, json={"transition": "register"}).status_code)

    threads = [threading.Thread(target=fire, args=(c,)) for c in clients]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [200, 409]
    assert time.monotonic() - started >= 1.0  # the second waited for the first's lock

    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "registrerad"
    changes = db.session.scalar(
        sa.select(sa.func.count()).where(CaseStatusChange.case_id == case.id)
    )
    assert changes == 1
