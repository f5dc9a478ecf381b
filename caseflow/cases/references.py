"""Diarienummer: formatting, URL-safe keys and gap-free serials per unit and year."""

from __future__ import annotations

import re
import secrets
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from caseflow.cases import numbering
from caseflow.cases.models import Case, CaseSequence
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


#: Marks a case whose diarienummer is still to be assigned (see ``assign_reference``).
PENDING_PREFIX = "~"
#: ``session.info`` key listing cases whose columns were written past the unit of work, so
#: flush hooks (the search index) never saw the change; consumers refresh them before commit.
CHANGED_OUTSIDE_FLUSH = "cases_changed_outside_flush"


def pending_reference() -> str:
    """A unique placeholder until ``assign_reference`` runs, in the same transaction."""
    return PENDING_PREFIX + secrets.token_hex(12)


def assign_reference(case: Case) -> str:
    """Give a case opened with ``reference_later=True`` its diarienummer: the last writes of
    the transaction.

    Taking the unit's serial locks its counter row until commit, and every other opening in
    the unit waits for that lock; called just before the commit, the lock is held for one
    statement (PostgreSQL; two elsewhere) and the commit instead of the rest of the request.
    """
    if not case.reference.startswith(PENDING_PREFIX):
        return case.reference
    if numbering.is_queued(case.id):
        numbering.fire_now(db.session())
        return case.reference
    unit = db.session.get(Unit, case.unit_id)
    assert unit is not None
    pattern = unit.reference_pattern or current_app.config["REFERENCE_PATTERN"]
    dialect = db.session.get_bind().dialect.name
    split = _split_pattern(pattern, unit.prefix, case.serial_year)
    if dialect == "postgresql" and split is not None:
        serial, reference, key = _assign_in_one_statement(case, unit, *split)
    else:
        serial = next_serial(unit, case.serial_year)
        reference = format_reference(pattern, unit.prefix, case.serial_year, serial)
        key = reference_key(reference)
        db.session.execute(
            sa.update(Case)
            .where(Case.id == case.id)
            .values(reference=reference, reference_key=key, serial=serial)
            .execution_options(synchronize_session=False)
        )
    for name, value in (("reference", reference), ("reference_key", key), ("serial", serial)):
        set_committed_value(case, name, value)
    return reference


def numbering_row(unit: Unit, year: int) -> dict[str, Any] | None:
    """PostgreSQL: the ``case_numbering`` values for a case of ``unit`` opened in ``year``
    (without ``case_id``), so the database numbers it inside ``COMMIT``; ``None`` elsewhere
    or for a pattern the trigger cannot fill (the application numbers those)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    pattern = unit.reference_pattern or current_app.config["REFERENCE_PATTERN"]
    split = _split_pattern(pattern, unit.prefix, year)
    if split is None:
        return None
    before, width, after = split
    return {
        "before": before,
        "width": width,
        "after": after,
        "key_before": _NON_ALNUM.sub("-", before).lstrip("-").upper(),
        "key_after": _NON_ALNUM.sub("-", after).rstrip("-").upper(),
    }


def number_by_commit(case: Case) -> None:
    """Make sure a case opened with ``reference_later`` has its diarienummer once the
    transaction commits: the database gives it inside ``COMMIT`` where a numbering row was
    written (PostgreSQL, ``numbering``), else it is taken now as the last write. Read it
    after the commit with ``numbering.committed_reference``."""
    if numbering.is_queued(case.id):
        return
    db.session.flush()  # everything pending goes out before the unit's serial is locked
    assign_reference(case)


_SEQ = re.compile(r"\{seq(?::0(\d+))?\}")


def _split_pattern(pattern: str, unit_prefix: str, year: int) -> tuple[str, int, str] | None:
    """``("KS 2026/", 4, "")`` for ``{unit} {yyyy}/{seq:04}``: the text around one zero-padded
    serial, or ``None`` when the pattern has another shape."""
    matches = list(_SEQ.finditer(pattern))
    if len(matches) != 1:
        return None
    match = matches[0]

    def fill(text: str) -> str:
        return text.format(unit=unit_prefix, yyyy=year, yy=f"{year % 100:02d}")

    try:
        before, after = fill(pattern[: match.start()]), fill(pattern[match.end() :])
    except (KeyError, IndexError, ValueError):
        return None
    return before, int(match.group(1) or 0), after


def _assign_in_one_statement(
    case: Case, unit: Unit, before: str, width: int, after: str
) -> tuple[int, str, str]:
    """PostgreSQL: take the serial and write the reference in one round trip, so the counter
    row is locked from this statement to the commit and no longer."""
    key_before = _NON_ALNUM.sub("-", before).lstrip("-").upper()
    key_after = _NON_ALNUM.sub("-", after).rstrip("-").upper()
    row = (
        db.session.connection()
        .execute(
            _ASSIGN,
            {
                "unit": unit.id,
                "year": case.serial_year,
                "case": case.id,
                "before": before,
                "after": after,
                "width": width,
                "key_before": key_before,
                "key_after": key_after,
            },
        )
        .one()
    )
    return int(row.serial), str(row.reference), str(row.reference_key)


#: Built once (one compiled form).
_ASSIGN = sa.text(
    "WITH s AS ("
    " INSERT INTO case_sequences (unit_id, year, last_value) VALUES (:unit, :year, 1)"
    " ON CONFLICT (unit_id, year)"
    " DO UPDATE SET last_value = case_sequences.last_value + 1"
    " RETURNING last_value)"
    " UPDATE cases SET serial = s.last_value,"
    " reference = :before || lpad(s.last_value::text,"
    "   greatest(:width, length(s.last_value::text)), '0') || :after,"
    " reference_key = :key_before || lpad(s.last_value::text,"
    "   greatest(:width, length(s.last_value::text)), '0') || :key_after"
    " FROM s WHERE cases.id = :case"
    " RETURNING cases.serial, cases.reference, cases.reference_key"
)


def peek_serial(unit_id: int, year: int) -> int:
    """The last serial handed out (0 when none), for reports and tests."""
    value = db.session.execute(
        sa.select(CaseSequence.last_value).where(
            CaseSequence.unit_id == unit_id, CaseSequence.year == year
        )
    ).scalar_one_or_none()
    return int(value or 0)
