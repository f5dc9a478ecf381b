"""Concurrent submissions on PostgreSQL: retries with one Idempotency-Key make one case while
other submissions to the same unit get distinct, consecutive diarienummer."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from tests.eservices.committing import URL, committing_app, submission

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]


def test_concurrent_retries_make_one_case_and_numbers_stay_consecutive(
    database_url: str, tmp_path
) -> None:
    pool = {"pool_size": 20, "max_overflow": 0, "pool_timeout": 60}
    with committing_app(
        database_url,
        str(tmp_path),
        unit_name="Samtidighetsenheten",
        prefix="SAMT",
        SQLALCHEMY_ENGINE_OPTIONS=pool,
    ) as (app, unit_id, _eservice_id):
        _submit_concurrently(app, unit_id)


def _submit_concurrently(app: Flask, unit_id: int) -> None:
    barrier = threading.Barrier(20)
    answers: dict[str, list[dict]] = {"retry": [], "distinct": []}
    errors: list[BaseException] = []

    def post(kind: str, n: int) -> None:
        client = app.test_client()
        headers = {"Idempotency-Key": "samma-nyckel"} if kind == "retry" else {}
        text = "Samma fel." if kind == "retry" else f"Fel nummer {n}."
        try:
            barrier.wait(timeout=30)
            response = client.post(URL, json=submission(text), headers=headers)
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
        assert errors == []
        assert len({a["reference"] for a in answers["retry"]}) == 1
        assert len({a["reference"] for a in answers["distinct"]}) == 10
        cases = list(db.session.execute(sa.select(Case).where(Case.unit_id == unit_id)).scalars())
        assert sorted(c.serial for c in cases) == list(range(1, 12))
        assert all(not c.reference.startswith("~") for c in cases)
        mails = db.session.execute(
            sa.select(sa.func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.case_id.in_([c.id for c in cases]))
        ).scalar_one()
        assert mails == 11
        db.session.rollback()
