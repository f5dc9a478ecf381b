"""Concurrent submissions on PostgreSQL: retries with one Idempotency-Key make one case while
other submissions to the same unit get distinct, consecutive diarienummer."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseSequence, CaseStatusChange
from caseflow.citizens.models import Citizen
from caseflow.eservices.models import EService, SubmissionKey
from caseflow.extensions import db, limiter
from caseflow.notifications.models import OutboxMail
from caseflow.units.models import Unit
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem
from tests.eservices.conftest import FORM

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]
URL = "/api/v1/eservices/samtidig-felanmalan/submissions"
EMAIL = "samtidig@example.se"


def _body(text: str) -> dict:
    return {
        "namn": "Sam Tidig",
        "epost": EMAIL,
        "beskrivning": text,
        "samtycke": True,
    }


def _cleanup(unit_id: int, eservice_id: int) -> None:
    case_ids = sa.select(Case.id).where(Case.unit_id == unit_id).scalar_subquery()
    for model in (CaseEvent, CaseStatusChange, OutboxMail, IntakeItem, SubmissionKey):
        db.session.execute(sa.delete(model).where(model.case_id.in_(case_ids)))
    db.session.execute(sa.delete(SubmissionKey).where(SubmissionKey.scope.like("%samtidig%")))
    db.session.execute(sa.delete(UsageEvent).where(UsageEvent.eservice_id == eservice_id))
    db.session.execute(sa.delete(Case).where(Case.unit_id == unit_id))
    db.session.execute(sa.delete(Citizen).where(Citizen.email == EMAIL))
    db.session.execute(sa.delete(CaseSequence).where(CaseSequence.unit_id == unit_id))
    db.session.execute(sa.delete(EService).where(EService.id == eservice_id))
    db.session.execute(sa.delete(Unit).where(Unit.id == unit_id))
    db.session.commit()


def test_concurrent_retries_make_one_case_and_numbers_stay_consecutive(
    database_url: str, tmp_path
) -> None:
    from caseflow import create_app
    from caseflow.db import utcnow

    saved = dict(vars(limiter))
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "JOBS_INLINE_RAISE": True,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 0, "pool_timeout": 60},
        }
    )
    with app.app_context():
        unit = Unit(name="Samtidighetsenheten", prefix="SAMT")
        db.session.add(unit)
        db.session.flush()
        eservice = EService(
            slug="samtidig-felanmalan",
            title_sv="Samtidig felanmälan",
            title_en="Concurrent fault report",
            unit_id=unit.id,
            workflow_key="felanmalan",
            handling_days=5,
            form={"fields": [f for f in FORM["fields"] if f["type"] != "file"]},
            published_at=utcnow(),
        )
        db.session.add(eservice)
        db.session.commit()
        unit_id, eservice_id = unit.id, eservice.id
        db.session.remove()

    barrier = threading.Barrier(20)
    answers: dict[str, list[dict]] = {"retry": [], "distinct": []}
    errors: list[BaseException] = []

    def post(kind: str, n: int) -> None:
        client = app.test_client()
        headers = {"Idempotency-Key": "samma-nyckel"} if kind == "retry" else {}
        text = "Samma fel." if kind == "retry" else f"Fel nummer {n}."
        try:
            barrier.wait(timeout=30)
            response = client.post(URL, json=_body(text), headers=headers)
            assert response.status_code == 201, response.get_data(as_text=True)
            answers[kind].append(response.get_json())
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=post, args=("retry", n)) for n in range(10)]
    threads += [threading.Thread(target=post, args=("distinct", n)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        try:
            assert errors == []
            assert len({a["reference"] for a in answers["retry"]}) == 1
            assert len({a["reference"] for a in answers["distinct"]}) == 10
            cases = list(
                db.session.execute(sa.select(Case).where(Case.unit_id == unit_id)).scalars()
            )
            assert sorted(c.serial for c in cases) == list(range(1, 12))
            assert all(not c.reference.startswith("~") for c in cases)
            mails = db.session.execute(
                sa.select(sa.func.count())
                .select_from(OutboxMail)
                .where(OutboxMail.case_id.in_([c.id for c in cases]))
            ).scalar_one()
            assert mails == 11
        finally:
            _cleanup(unit_id, eservice_id)
            db.engine.dispose()
            vars(limiter).clear()
            vars(limiter).update(saved)
