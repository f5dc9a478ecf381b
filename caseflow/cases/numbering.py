"""Diarienummer given by PostgreSQL inside ``COMMIT`` (migration ``0013``).

A case opened with ``reference_later`` on PostgreSQL writes a ``case_numbering`` row; a
deferred trigger numbers the case as the transaction commits and sends the committing client
a notice with the number. The unit's counter row is locked for the commit alone, not across
the last round trips of a busy application thread. This module notes which cases wait for
their number, reads the notices (no query after the commit), and fires the numbering early
when a commit is not the database's (a session joined to an outer transaction).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from caseflow.cases.models import Case
from caseflow.db import CaseflowSession
from caseflow.extensions import db

#: ``session.info`` key: ids of new cases the database numbers as the transaction commits.
QUEUED = "cases_numbered_at_commit"
#: ``session.info`` key: ``{case id: reference}`` of the cases numbered by the last commits.
NUMBERED = "cases_numbered"
#: ``session.info`` key: the notices of the connection the transaction commits on.
_NOTICES = "numbering_notices"
#: Pool-record key of a PostgreSQL connection's received numbers, ``{case id: reference}``.
_RECEIVED = "caseflow_numbered"
TRIGGER = "case_numbering_at_commit"
_MARK = '{"caseflow_numbered"'


def queue(case_id: int) -> None:
    """Note that ``case_id``'s ``case_numbering`` row was written in this transaction."""
    db.session.info.setdefault(QUEUED, set()).add(case_id)


def is_queued(case_id: int) -> bool:
    return case_id in db.session.info.get(QUEUED, ())


def fire_now(session: Session) -> None:
    """Number every case queued in this transaction now (the trigger fires at once), and
    expire their reference columns so they are read back numbered."""
    queued = session.info.pop(QUEUED, set())
    if not queued:
        return
    connection = session.connection()
    connection.exec_driver_sql(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")
    connection.exec_driver_sql(f"SET CONSTRAINTS {TRIGGER} DEFERRED")
    received = connection.connection.info.get(_RECEIVED, {})
    for case_id in queued:
        received.pop(case_id, None)
        case = session.identity_map.get(identity_key(Case, case_id))
        if case is not None:
            session.expire(case, ["reference", "reference_key", "serial"])


def committed_reference(case_id: int) -> str:
    """The diarienummer of a case numbered by a commit of this session: from the commit's
    notice, else (notices turned off by ``client_min_messages``, say) read back."""
    reference = db.session.info.get(NUMBERED, {}).pop(case_id, None)
    if reference is not None:
        return str(reference)
    return str(db.session.execute(sa.select(Case.reference).where(Case.id == case_id)).scalar_one())


def _before_commit(session: Session) -> None:
    """Fire the numbering now when this commit is not the database's (the session joined an
    outer transaction through a savepoint, as the test suite does): the deferred trigger
    would wait for a commit that may never come. Otherwise remember where its notices land."""
    if not session.info.get(QUEUED) or session.in_nested_transaction():
        return  # nothing queued, or a savepoint of the session's own: the enclosing commit
    connection = session.connection()
    if connection.in_nested_transaction():
        fire_now(session)
    else:
        session.info[_NOTICES] = connection.connection.info.setdefault(_RECEIVED, {})


def _after_commit(session: Session) -> None:
    queued = session.info.pop(QUEUED, set())
    received = session.info.pop(_NOTICES, None)
    if queued and received is not None:
        numbered = session.info.setdefault(NUMBERED, {})
        for case_id in queued:
            reference = received.pop(case_id, None)
            if reference is not None:
                numbered[case_id] = reference


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # committed (numbered) or rolled back (nothing to number)
        session.info.pop(QUEUED, None)
        session.info.pop(_NOTICES, None)


def _on_connect(dbapi_connection: Any, record: Any) -> None:
    """Collect this connection's numbering notices into its pool record."""
    received: dict[int, str] = record.info.setdefault(_RECEIVED, {})

    def notice(diagnostic: Any) -> None:
        message = diagnostic.message_primary or ""
        if message.startswith(_MARK):
            if len(received) > 1000:  # never read (a commit outside the session hooks)
                received.clear()
            data = json.loads(message)
            received[int(data["caseflow_numbered"])] = str(data["reference"])

    dbapi_connection.add_notice_handler(notice)


def listen(engine: sa.Engine) -> None:
    """Install the session hooks (once per process) and, on PostgreSQL, the notice reader."""
    for name, hook in (
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not sa.event.contains(CaseflowSession, name, hook):
            sa.event.listen(CaseflowSession, name, hook)
    if engine.dialect.name == "postgresql" and not sa.event.contains(
        engine, "connect", _on_connect
    ):
        sa.event.listen(engine, "connect", _on_connect)
