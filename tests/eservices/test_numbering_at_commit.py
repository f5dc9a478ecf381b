"""PostgreSQL gives a submission's diarienummer inside ``COMMIT`` (migration ``0013``): the
request sends no statement that locks the unit's counter, the answer carries the final number,
the search document carries it too, and a rolled-back opening gives its number back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseNumbering, CaseSequence
from caseflow.cases.services import open_case
from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.web.models import CaseSearch
from caseflow.web.search import reindex_cases, search_clause
from tests.eservices.committing import URL, committing_app, submission
from tests.sql import recorded_statements

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]


@pytest.fixture
def committed(database_url: str, tmp_path) -> Iterator[tuple[Flask, int, int]]:
    with committing_app(
        database_url,
        str(tmp_path),
        unit_name="Numreringsenheten",
        prefix="NUMR",
        ESERVICE_CACHE_SECONDS=0,
    ) as context:
        yield context


def test_the_request_never_locks_the_counter_and_answers_the_final_number(committed) -> None:
    app, _unit_id, _eservice_id = committed
    client = app.test_client()
    assert client.post(URL, json=submission("Första lyktan.")).status_code == 201  # a known citizen
    with app.app_context():
        engine = db.engine
    with recorded_statements(engine) as seen:

        def mark_commit(_connection: sa.Connection) -> None:
            seen.append("COMMIT")

        sa.event.listen(engine, "commit", mark_commit)
        try:
            response = client.post(URL, json=submission("Andra lyktan är släckt."))
        finally:
            sa.event.remove(engine, "commit", mark_commit)
    assert response.status_code == 201, response.get_data(as_text=True)
    until_commit = seen[: seen.index("COMMIT")]
    # The e-service's lookup (its cache is off here), then the key claimed with the citizen
    # found, and the case with its linked rows, its numbering row and its search document.
    heads = [" ".join(s.split()[:3]) for s in until_commit if "FROM eservices" not in s]
    assert heads == ["WITH claim AS", "WITH new_case AS"]
    opening = next(s for s in until_commit if s.startswith("WITH new_case"))
    assert "INSERT INTO case_numbering" in opening and "INSERT INTO case_search" in opening
    assert not any("case_sequences" in s for s in until_commit)
    # The number comes back in the commit's notice, not from a query after it.
    assert not any(s.startswith("SELECT cases.reference FROM cases") for s in seen)
    reference = response.get_json()["reference"]
    with app.app_context():
        case = db.session.execute(sa.select(Case).where(Case.reference == reference)).scalar_one()
        assert (reference, case.serial) == (f"NUMR {case.serial_year}/0002", 2)
        assert case.reference_key == f"NUMR-{case.serial_year}-0002"
        assert (
            db.session.execute(sa.select(sa.func.count()).select_from(CaseNumbering)).scalar() == 0
        )
        document = db.session.get(CaseSearch, case.id).document
        reindex_cases(db.session.connection(), {case.id})  # what the application would write
        db.session.expire_all()
        # The document is the case's text; the number, given inside COMMIT, is not in it
        # (a reference is searched by its key, so the commit never rewrites the document).
        assert db.session.get(CaseSearch, case.id).document == document
        assert "Andra lyktan är släckt." in document
        assert reference not in document and "~" not in document
        found = db.session.execute(
            sa.select(Case.id).where(search_clause(case.reference_key))
        ).scalars()
        assert list(found) == [case.id]
        by_serial = db.session.execute(
            sa.select(Case.id).where(search_clause(f"{case.serial_year}/2"))
        ).scalars()
        assert list(by_serial) == [case.id]
        db.session.rollback()


def test_without_notices_the_number_is_read_back(committed) -> None:
    app, _unit_id, _eservice_id = committed
    with app.app_context():
        engine = db.engine
        engine.dispose()  # new connections, each told to drop notices

    def quiet(dbapi_connection, _record) -> None:
        dbapi_connection.execute("SET client_min_messages TO warning")
        dbapi_connection.commit()

    sa.event.listen(engine, "connect", quiet)
    try:
        with recorded_statements(engine) as seen:
            response = app.test_client().post(URL, json=submission("Utan notiser."))
    finally:
        sa.event.remove(engine, "connect", quiet)
        engine.dispose()
    assert response.status_code == 201, response.get_data(as_text=True)
    reference = response.get_json()["reference"]
    assert reference.startswith("NUMR ") and reference.endswith("/0001")
    assert any(s.startswith("SELECT cases.reference FROM cases") for s in seen)


def test_a_rolled_back_opening_gives_its_number_back(committed) -> None:
    app, unit_id, _eservice_id = committed
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        open_case(unit=unit, title="Ångras", channel="webform", reference_later=True)
        db.session.rollback()
        unit = db.session.get(Unit, unit_id)
        kept = open_case(unit=unit, title="Behålls", channel="webform", reference_later=True)
        case_id = kept.id
        db.session.commit()
        case = db.session.get(Case, case_id)
        assert (case.serial, case.reference) == (1, f"NUMR {case.serial_year}/0001")
        last = db.session.execute(
            sa.select(CaseSequence.last_value).where(CaseSequence.unit_id == unit_id)
        ).scalar_one()
        assert last == 1


def test_a_case_deleted_before_commit_takes_no_number(committed) -> None:
    app, unit_id, _eservice_id = committed
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        gone = open_case(unit=unit, title="Raderas", channel="webform", reference_later=True)
        db.session.execute(sa.delete(CaseEvent).where(CaseEvent.case_id == gone.id))
        db.session.execute(sa.delete(CaseSearch).where(CaseSearch.case_id == gone.id))
        db.session.execute(sa.delete(Case).where(Case.id == gone.id))
        db.session.commit()
        assert (
            db.session.execute(
                sa.select(CaseSequence.last_value).where(CaseSequence.unit_id == unit_id)
            ).scalar_one_or_none()
            is None
        )
