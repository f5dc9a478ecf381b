"""Full-text search over cases: title, description and every message body; references by key.

A reference is an identifier, not text: a whole diarienummer (``KS 2026/0042``, ``ks-2026-0042``)
matches ``cases.reference_key`` and a year with a serial (``2026/42``) matches
``cases.serial_year`` and ``cases.serial``, both through btree indexes. Keeping it out of the
document lets a web-form case take its number inside ``COMMIT`` without rewriting its document
and vector there (``caseflow.cases.numbering``).

Each case has one ``case_search`` document, rebuilt once per transaction (before it commits, or
before a search in it) for every case whose text or messages a flush added or changed (session
events, so every writer keeps it in sync, not only this area's views). PostgreSQL stores
``to_tsvector('swedish', document)`` beside it and matches that through a GIN index. The
embedded SQLite default mirrors the documents into an FTS5 table kept in an attached database
file next to the main one (``<db>.search``): Alembic's drift check and the schema stay free of
FTS5's shadow tables, and writes to both files share one transaction.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from caseflow.cases.models import Case
from caseflow.cases.opening import Linked, case_param
from caseflow.cases.references import CHANGED_OUTSIDE_FLUSH, reference_key
from caseflow.db import CaseflowSession
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.web.models import CaseSearch

log = logging.getLogger(__name__)

SCHEMA = "search"
FTS_TABLE = f"{SCHEMA}.case_fts"
_WORD = re.compile(r"\w+", re.UNICODE)
_REFERENCE = re.compile(r"^\s*[A-ZÅÄÖa-zåäö]{1,10}[ -]\d{4}[/-]\d+\s*$")
#: A year and a serial without the unit's prefix: ``2026/42``, ``2026-0042``.
_SERIAL = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{1,9})\s*$")
#: Case columns copied into its search row (``unit_id`` and ``open`` beside the document).
_TEXT_FIELDS = ("title", "description", "unit_id", "closed_at")


# --- keeping documents in sync --------------------------------------------------------------


def _document_sql(dialect: str) -> str:
    aggregate = (
        "string_agg(m.body, ' ')" if dialect == "postgresql" else "group_concat(m.body, ' ')"
    )
    return (
        "SELECT c.id, c.unit_id, c.closed_at IS NULL, "
        "c.title || ' ' || "
        f"coalesce(c.description, '') || ' ' || coalesce((SELECT {aggregate} FROM messages m "
        "WHERE m.case_id = c.id), '') FROM cases c WHERE c.id IN ({ids})"
    )


def reindex_cases(connection: sa.Connection, case_ids: set[int]) -> None:
    """Rebuild the search documents of ``case_ids`` (and the FTS5 mirror on SQLite)."""
    if not case_ids:
        return
    ids = ",".join(str(int(i)) for i in sorted(case_ids))
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # One round trip instead of delete, insert and update (a new case per submission).
        connection.exec_driver_sql(
            "INSERT INTO case_search (case_id, unit_id, open, document, vector) "
            "SELECT d.id, d.unit_id, d.open, d.document, to_tsvector('swedish', d.document) FROM ("
            + _document_sql(dialect).format(ids=ids)
            + ") AS d (id, unit_id, open, document) ON CONFLICT (case_id) DO UPDATE "
            "SET unit_id = excluded.unit_id, open = excluded.open, "
            "document = excluded.document, vector = excluded.vector"
        )
        return
    connection.exec_driver_sql(f"DELETE FROM case_search WHERE case_id IN ({ids})")
    connection.exec_driver_sql(
        "INSERT INTO case_search (case_id, unit_id, open, document) "
        + _document_sql(dialect).format(ids=ids)
    )
    if dialect == "sqlite" and _fts_attached(connection):
        connection.exec_driver_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({ids})")
        connection.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE} (rowid, document) "
            f"SELECT case_id, document FROM case_search WHERE case_id IN ({ids})"
        )


def new_case_document() -> Linked | None:
    """PostgreSQL: a new case's document as a row written in the case's own statement
    (``opening.insert_case``): one round trip less per opened case. The same text
    ``_document_sql`` builds for a case without messages. ``None`` elsewhere (the FTS5
    mirror is written before commit). Call ``written_with_case`` after the insert."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return Linked("search_row", _insert_new_document, {})


def written_with_case(case_id: int) -> None:
    """The case's document went in with it: the rebuild before commit can skip it (a later
    change to its text or messages in the transaction still notes it again)."""
    db.session.info.get(CHANGED_OUTSIDE_FLUSH, set()).discard(case_id)


def _insert_new_document(case_id: Any, _prefix: str) -> Any:
    space = sa.literal_column("' '", sa.Text())
    document = sa.func.concat(
        case_param("title"), space, sa.func.coalesce(case_param("description"), ""), space
    )
    table: sa.Table = CaseSearch.__table__  # type: ignore[assignment]
    return sa.insert(table).values(
        case_id=case_id,
        unit_id=case_param("unit_id"),
        open=sa.true(),
        document=document,
        vector=sa.func.to_tsvector(sa.literal_column("'swedish'::regconfig"), document),
    )


def _changed_case_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Case) and obj.id is not None:
            if obj in session.new:
                ids.add(obj.id)
                continue
            state = sa.inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _TEXT_FIELDS):
                ids.add(obj.id)
        elif (
            isinstance(obj, Message)
            and obj.case_id is not None
            and (obj in session.new or sa.inspect(obj).attrs.body.history.has_changes())
        ):
            ids.add(obj.case_id)
    return ids


#: ``session.info`` key: ids of cases whose search document is behind their flushed rows.
PENDING = "caseflow_search_pending"


def _after_flush(session: Session, _flush_context: Any) -> None:
    """Note the changed cases; their documents are rebuilt once, before the transaction
    commits (or before the session next reads search rows), not after every flush: opening a
    case flushes several times (case, message, events), and a batch job many more."""
    ids = _changed_case_ids(session)
    if ids:
        session.info.setdefault(PENDING, set()).update(ids)


def sync_pending(session: Session) -> None:
    """Rebuild the documents noted since the last rebuild, in one statement per table.

    Also picks up cases written outside the unit of work (``cases.opening.insert_case``).
    """
    ids = session.info.pop(PENDING, set()) | session.info.pop(CHANGED_OUTSIDE_FLUSH, set())
    if ids:
        reindex_cases(session.connection(), ids)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the enclosing transaction's commit rebuilds them
    session.flush()  # ``before_commit`` runs before the commit's own flush
    sync_pending(session)


def _before_read(state: ORMExecuteState) -> None:
    """A read of the search rows themselves sees the documents of this transaction's writes."""
    if state.is_select and state.session.info.get(PENDING) and _reads_search_rows(state):
        sync_pending(state.session)


def _reads_search_rows(state: ORMExecuteState) -> bool:
    return any(
        isinstance(element, sa.Table) and element.name == CaseSearch.__tablename__
        for element in sa.sql.visitors.iterate(state.statement)
    )


def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED_OUTSIDE_FLUSH, None)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed (and synced) or rolled back: nothing is due
        session.info.pop(PENDING, None)


def listen(app: Flask) -> None:
    """Install the sync hooks (once per process) and, on SQLite, the attached FTS5 database."""
    for name, hook in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("do_orm_execute", _before_read),
        ("after_rollback", _after_rollback),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not sa.event.contains(CaseflowSession, name, hook):
            sa.event.listen(CaseflowSession, name, hook)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _attach_fts(engine)


# --- SQLite: FTS5 in an attached database -------------------------------------------------------


def _fts_attached(connection: sa.Connection) -> bool:
    return bool(connection.info.get("caseflow_fts"))


def _attach_fts(engine: sa.Engine) -> None:
    database = engine.url.database
    target = f"{database}.search" if database and database != ":memory:" else ":memory:"

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"ATTACH DATABASE ? AS {SCHEMA}", (target,))
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(document, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )
            record.info["caseflow_fts"] = True
            _heal(cursor)
        except Exception:
            log.warning("SQLite FTS5 unavailable; case search uses LIKE")
            record.info["caseflow_fts"] = False
        finally:
            cursor.close()


def _heal(cursor: Any) -> None:
    """Refill the mirror when it does not match ``case_search`` (a new or copied database)."""
    try:
        cursor.execute("SELECT count(*) FROM main.case_search")
    except Exception:
        return
    documents = cursor.fetchone()[0]
    cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
    if cursor.fetchone()[0] != documents:
        cursor.execute("BEGIN")
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, document) SELECT case_id, document FROM case_search"
        )
        cursor.execute("COMMIT")


# --- querying -------------------------------------------------------------------------------


def sync_before_search(session: Session) -> None:
    """Flush and rebuild pending documents: a search matches this transaction's writes too."""
    session.flush()
    sync_pending(session)


def search_backend(connection: sa.Connection) -> str:
    """How ``search_clause`` matches on ``connection``: ``postgresql``, ``fts5`` or ``like``."""
    if connection.dialect.name == "postgresql":
        return "postgresql"
    return "fts5" if _fts_attached(connection) else "like"


def words_match(query: str) -> sa.ColumnElement[bool] | None:
    """On PostgreSQL, the words of ``query`` as a condition on ``CaseSearch`` itself (for a
    join on ``case_id``), or ``None`` for a reference or a query without words.

    Joined to a short list of candidate cases, this plans in a fraction of a millisecond,
    where ``search_clause``'s ``IN`` over the GIN match takes milliseconds to plan.
    """
    terms = words(query)
    if not terms or _REFERENCE.match(query or "") or _SERIAL.match(query or ""):
        return None
    tsquery = sa.func.plainto_tsquery(sa.literal_column("'swedish'"), " ".join(terms))
    return CaseSearch.vector.bool_op("@@")(tsquery)


def words(query: str) -> list[str]:
    return _WORD.findall(query or "")[:12]


def search_clause(
    query: str, unit_ids: list[int] | None = None, *, open_only: bool = False
) -> sa.ColumnElement[bool]:
    """A WHERE clause on ``Case`` matching ``query`` (all words must occur).

    ``unit_ids`` (the units the user may see; ``None`` for all) and ``open_only`` narrow the
    text match itself, so PostgreSQL reads only those matches from the partial GIN index of
    open cases by unit instead of every matching document.
    """
    sync_before_search(db.session())
    terms = words(query)
    clauses: list[sa.ColumnElement[bool]] = []
    if _REFERENCE.match(query or ""):
        clauses.append(Case.reference_key == reference_key(query.strip()))
    serial = _SERIAL.match(query or "")
    if serial:
        year, number = (int(part) for part in serial.groups())
        clauses.append(sa.and_(Case.serial_year == year, Case.serial == number))
    if terms:
        clauses.append(_text_clause(terms, unit_ids, open_only))
    if not clauses:
        return sa.false()
    return sa.or_(*clauses) if len(clauses) > 1 else clauses[0]


def _text_clause(
    terms: list[str], unit_ids: list[int] | None, open_only: bool
) -> sa.ColumnElement[bool]:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        tsquery = sa.func.plainto_tsquery(sa.literal_column("'swedish'"), " ".join(terms))
        match = sa.select(CaseSearch.case_id).where(CaseSearch.vector.bool_op("@@")(tsquery))
        if unit_ids is not None:
            match = match.where(CaseSearch.unit_id.in_(unit_ids))
        if open_only:
            # Plain ``open`` (not ``open IS true``): the planner matches the partial index's
            # predicate only in the same form.
            match = match.where(CaseSearch.open)
        return Case.id.in_(match)
    connection = db.session.connection()
    if _fts_attached(connection):
        match = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
        return Case.id.in_(
            sa.select(sa.literal_column("rowid"))
            .select_from(sa.text(FTS_TABLE))
            .where(sa.literal_column("case_fts").op("MATCH")(match))
        )
    return sa.and_(
        *(
            Case.id.in_(sa.select(CaseSearch.case_id).where(CaseSearch.document.ilike(f"%{t}%")))
            for t in terms
        )
    )
