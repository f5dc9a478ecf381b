"""An app whose requests really commit, with a unit and a published e-service, for tests
of what only a real commit shows (PostgreSQL: concurrency, commit-time numbering)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseNumbering, CaseSequence, CaseStatusChange
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.eservices.models import EService, SubmissionKey
from caseflow.extensions import db, limiter
from caseflow.notifications.models import OutboxMail
from caseflow.units.models import Unit
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem
from tests.eservices.conftest import FORM

SLUG = "samtidig-felanmalan"
URL = f"/api/v1/eservices/{SLUG}/submissions"
EMAIL = "samtidig@example.se"


def submission(text: str) -> dict:
    return {"namn": "Sam Tidig", "epost": EMAIL, "beskrivning": text, "samtycke": True}


@contextmanager
def committing_app(
    database_url: str, upload_folder: str, *, unit_name: str, prefix: str, **config: Any
) -> Iterator[tuple[Flask, int, int]]:
    """``(app, unit id, e-service id)``; everything the submissions wrote is deleted after."""
    from caseflow import create_app

    saved = dict(vars(limiter))
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "JOBS_INLINE_RAISE": True,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": upload_folder,
            **config,
        }
    )
    with app.app_context():
        unit = Unit(name=unit_name, prefix=prefix)
        db.session.add(unit)
        db.session.flush()
        eservice = EService(
            slug=SLUG,
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
        ids = (unit.id, eservice.id)
        db.session.remove()
    try:
        yield app, *ids
    finally:
        with app.app_context():
            _cleanup(*ids)
            db.engine.dispose()
        vars(limiter).clear()
        vars(limiter).update(saved)


def _cleanup(unit_id: int, eservice_id: int) -> None:
    case_ids = sa.select(Case.id).where(Case.unit_id == unit_id).scalar_subquery()
    for model in (CaseEvent, CaseStatusChange, OutboxMail, IntakeItem, SubmissionKey):
        db.session.execute(sa.delete(model).where(model.case_id.in_(case_ids)))
    db.session.execute(sa.delete(CaseNumbering).where(CaseNumbering.case_id.in_(case_ids)))
    db.session.execute(sa.delete(SubmissionKey).where(SubmissionKey.scope.like(f"%{SLUG}%")))
    db.session.execute(sa.delete(UsageEvent).where(UsageEvent.eservice_id == eservice_id))
    db.session.execute(sa.delete(Case).where(Case.unit_id == unit_id))
    db.session.execute(sa.delete(Citizen).where(Citizen.email == EMAIL))
    db.session.execute(sa.delete(CaseSequence).where(CaseSequence.unit_id == unit_id))
    db.session.execute(sa.delete(EService).where(EService.id == eservice_id))
    db.session.execute(sa.delete(Unit).where(Unit.id == unit_id))
    db.session.commit()
