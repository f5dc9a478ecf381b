"""Diarienummer: format, URL-safe keys, yearly restart and gap-free under concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseSequence
from caseflow.cases.queries import case_by_reference
from caseflow.cases.references import format_reference, reference_key
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.units.models import Unit
from tests.factories import make_case, make_unit


def test_default_pattern_renders_unit_year_and_padded_serial() -> None:
    assert format_reference("{unit} {yyyy}/{seq:04}", "KS", 2026, 42) == "KS 2026/0042"


@pytest.mark.parametrize(
    "given", ["KS 2026/0042", "KS-2026-0042", "ks-2026-0042", " KS 2026/0042 "]
)
def test_reference_key_accepts_display_and_url_forms(given: str) -> None:
    assert reference_key(given) == "KS-2026-0042"


def test_cases_are_numbered_per_unit_and_found_by_either_form() -> None:
    ks = make_unit("KS")
    other = make_unit("SBF")
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    first = make_case(ks, opened_at=at)
    second = make_case(ks, opened_at=at)
    elsewhere = make_case(other, opened_at=at)
    assert [first.reference, second.reference] == ["KS 2026/0001", "KS 2026/0002"]
    assert elsewhere.reference == "SBF 2026/0001"
    assert case_by_reference("KS-2026-0002") is second
    assert case_by_reference("KS 2026/0002") is second


def test_serial_restarts_in_a_new_year_by_swedish_local_date() -> None:
    ks = make_unit("KS")
    make_case(ks, opened_at=datetime(2026, 12, 31, 12, tzinfo=UTC))
    # 23:30 UTC on New Year's Eve is already 2027 in Stockholm.
    new_year = make_case(ks, opened_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert new_year.reference == "KS 2027/0001"


def test_unit_pattern_overrides_the_default() -> None:
    unit = make_unit("BN", reference_pattern="{unit}-{yy}-{seq:03}")
    case = make_case(unit, opened_at=datetime(2026, 5, 5, tzinfo=UTC))
    assert case.reference == "BN-26-001"
    assert case.reference_key == "BN-26-001"


def test_a_rolled_back_opening_gives_its_number_back() -> None:
    unit = make_unit("GN")
    make_case(unit)
    db.session.commit()
    savepoint = db.session.begin_nested()
    make_case(unit)
    savepoint.rollback()
    assert make_case(unit).serial == 2


@pytest.mark.postgres
@pytest.mark.real_commits
def test_concurrent_openings_get_distinct_consecutive_numbers(database_url: str) -> None:
    """100 threads, each on its own pooled connection, open cases in one unit at once."""
    from caseflow import create_app

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "JOBS_INLINE_RAISE": True,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 40, "max_overflow": 0, "pool_timeout": 60},
        }
    )
    with app.app_context():
        unit = Unit(name="Samtidighet", prefix="CONC")
        db.session.add(unit)
        db.session.commit()
        unit_id = unit.id
        db.session.remove()
    barrier = threading.Barrier(100)
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            barrier.wait(timeout=30)
            with app.app_context():
                make_case(db.session.get(Unit, unit_id), channel=Channel.WEBFORM)
                db.session.commit()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        try:
            serials = sorted(
                db.session.execute(sa.select(Case.serial).where(Case.unit_id == unit_id)).scalars()
            )
            assert errors == []
            assert serials == list(range(1, 101))
        finally:
            case_ids = sa.select(Case.id).where(Case.unit_id == unit_id).scalar_subquery()
            db.session.execute(sa.delete(CaseEvent).where(CaseEvent.case_id.in_(case_ids)))
            db.session.execute(sa.delete(Case).where(Case.unit_id == unit_id))
            db.session.execute(sa.delete(CaseSequence).where(CaseSequence.unit_id == unit_id))
            db.session.execute(sa.delete(Unit).where(Unit.id == unit_id))
            db.session.commit()
            db.engine.dispose()
