"""A drain batch of direct messages that each open a case costs, per case, no more SQL
statements than ``open_case`` itself: everything else (items, citizens, handles, messages,
audit events, usage events, registrations) is one statement per table per batch.

Before the batch ingest this was 18 statements per case on PostgreSQL (13 of them outside
``open_case`` and the search document)."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.extensions import db
from intake.drain import drain
from intake.models import IntakeItem, IntakeStatus
from tests.factories import make_unit
from tests.social.test_drain_batches import messenger, register
from tests.sql import recorded_statements

_numbers = itertools.count(100)


def drain_new_conversations(n: int) -> int:
    """Statements of one drain of ``n`` one-entry deliveries, each a new conversation."""
    for _ in range(n):
        register(messenger(next(_numbers)))
    before = db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar()
    with recorded_statements() as statements:
        assert drain("meta") == n
    after = db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar()
    assert after - before == n
    return len(statements)


def test_statements_per_opened_case_in_a_batch(social_config, app, monkeypatch):
    unit = make_unit()
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", unit.prefix)
    monkeypatch.setitem(app.config, "INTAKE_DRAIN_BATCH", 100)
    drain_new_conversations(2)  # warm: compiled statements, the DM unit's year serial
    with recorded_statements() as statements:
        open_case(unit=unit, title="Mått", channel="messenger", workflow_key="fraga")
        db.session.flush()  # its audit event
    per_open_case = len(statements)

    small, large = drain_new_conversations(4), drain_new_conversations(16)
    per_case = (large - small) / 12
    # SQLite (in-process, no round trips) gets one INSERT per row for the five tables whose
    # ids are read back: SQLAlchemy batches INSERT ... RETURNING there only with a sentinel.
    per_row = 0 if db.engine.dialect.name == "postgresql" else 5
    assert per_case <= per_open_case + per_row, (per_case, per_open_case)  # was 18 + theirs
    assert large <= 16 * (per_open_case + per_row) + 20
    statuses = db.session.execute(sa.select(IntakeItem.status)).scalars()
    assert set(statuses) == {IntakeStatus.PROCESSED}
