"""Diarienummer: formatting, URL-safe keys and gap-free serials per unit and year."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.cases.models import CaseSequence
from caseflow.extensions import db
from caseflow.units.models import Unit

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def format_reference(pattern: str, unit_prefix: str, year: int, serial: int) -> str:
    """Render a pattern such as ``{unit} {yyyy}/{seq:04}`` (also ``{yy}``)."""
    return pattern.format(unit=unit_prefix, yyyy=year, yy=f"{year % 100:02d}", seq=serial)


def reference_key(reference: str) -> str:
    """URL-safe form: ``KS 2026/0042`` and ``ks-2026-0042`` both become ``KS-2026-0042``."""
    return _NON_ALNUM.sub("-", reference.strip()).strip("-").upper()


def next_serial(unit: Unit, year: int) -> int:
    """Take the next serial for the unit and year inside the current transaction.

    An upsert increments the counter row and keeps it locked until commit, so concurrent
    openings queue behind each other and a rolled-back opening gives its number back:
    numbers are consecutive, never reused, never skipped.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(CaseSequence).values(unit_id=unit.id, year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[CaseSequence.unit_id, CaseSequence.year],
        set_={"last_value": CaseSequence.last_value + 1},
    ).returning(CaseSequence.last_value)
    value = db.session.execute(stmt).scalar_one()
    return int(value)


def peek_serial(unit_id: int, year: int) -> int:
    """The last serial handed out (0 when none), for reports and tests."""
    value = db.session.execute(
        sa.select(CaseSequence.last_value).where(
            CaseSequence.unit_id == unit_id, CaseSequence.year == year
        )
    ).scalar_one_or_none()
    return int(value or 0)
