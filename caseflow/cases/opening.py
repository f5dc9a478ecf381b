"""Opening a case without the ORM unit of work: Core statements, one round trip on PostgreSQL.

``open_case(reference_later=True)`` (the web form and JSON submissions) writes the case and its
``opened`` audit event, plus any rows the caller links to the new case (registration, usage
event, outbox mail, ...), as one ``WITH new_case AS (INSERT ...) ...`` statement on PostgreSQL
and as a short sequence of Core statements elsewhere. The statements are built once per shape
and dialect and executed with a parameter dict: the ORM flush they replace cost more CPU than
the write. The caller still gets a persistent ``Case`` (no ``SELECT``), which later changes
flush as usual. Its search document is written before commit (``references.CHANGED_OUTSIDE_FLUSH``).
On PostgreSQL the statement also writes the case's ``case_numbering`` row: the database gives
the diarienummer inside ``COMMIT`` (``caseflow.cases.numbering``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached

from caseflow.audit.models import CaseEvent
from caseflow.cases import numbering
from caseflow.cases.models import Case, CaseNumbering
from caseflow.cases.references import CHANGED_OUTSIDE_FLUSH, PENDING_PREFIX, numbering_row
from caseflow.extensions import db
from caseflow.units.models import Unit

CASES: sa.Table = Case.__table__  # type: ignore[assignment]
EVENTS: sa.Table = CaseEvent.__table__  # type: ignore[assignment]
#: Columns a new case never sets: literal ``NULL`` in the statement, not parameters. psycopg
#: caches its parsing of a statement only up to 50 parameters; the combined statement stays
#: under that with these, the linked rows' constants and their use of ``case_param``.
UNSET_CASE_COLUMNS = (
    "assignee_id", "clock_paused_at", "clock_stopped_at", "closed_at", "overdue_flagged_at",
    "delay_notice_sent_at", "six_month_warned_at", "duplicate_of_id",
)  # fmt: skip
#: Every other column but the id, except server-side defaults nobody sets (none today).
CASE_COLUMNS = tuple(
    c.name
    for c in CASES.c
    if c.name != "id" and c.name not in UNSET_CASE_COLUMNS and c.server_default is None
)
#: ``from_state`` of an ``opened`` event is always ``NULL``.
EVENT_COLUMNS = tuple(c.name for c in EVENTS.c if c.name not in ("id", "case_id", "from_state"))

#: ``build(case_id, prefix)``: a Core INSERT or UPDATE whose bind parameters are named
#: ``prefix + key`` for the keys of ``Linked.params``; ``case_id`` is the new case's id as an
#: SQL expression.
Builder = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Linked:
    """A row written together with a new case, in the case's statement on PostgreSQL.

    ``name`` identifies the shape: the same name must always come with the same builder (the
    combined statement is built once and cached). With ``returns`` the builder's statement
    returns one value (``RETURNING id``), handed back under ``name``.
    """

    name: str
    build: Builder
    params: Mapping[str, Any]
    returns: bool = False


def bound(table: sa.Table, columns: Sequence[str], prefix: str) -> dict[str, Any]:
    """Typed bind parameters for ``columns`` of ``table``, named ``prefix + column``."""
    return {c: sa.bindparam(prefix + c, type_=table.c[c].type) for c in columns}


def case_param(column: str) -> Any:
    """The new case's value of ``column`` (a case column other than the id), for linked rows
    that repeat it (the opening time, the channel, the unit): no parameter of their own."""
    if column not in CASE_COLUMNS:
        raise ValueError(f"not a parameter of a new case: {column}")
    return sa.bindparam("c_" + column, type_=CASES.c[column].type)


def constant(value: str | None) -> Any:
    """``NULL`` or a string literal written into the statement instead of a parameter."""
    if value is None:
        return sa.null()
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.String())


def insert_linked(
    table: sa.Table,
    columns: Sequence[str],
    *,
    case_column: str = "case_id",
    shared: Mapping[str, str] | None = None,
    constants: Mapping[str, str | None] | None = None,
    returns: bool = False,
) -> Builder:
    """A builder for ``INSERT INTO table`` with the new case's id in ``case_column``, bound
    ``columns``, ``shared`` columns taken from the case's (``{column: case column}``) and
    ``constants``."""

    def build(case_id: Any, prefix: str) -> Any:
        values = {
            **bound(table, columns, prefix),
            **{c: case_param(source) for c, source in (shared or {}).items()},
            **{c: constant(v) for c, v in (constants or {}).items()},
            case_column: case_id,
        }
        statement = sa.insert(table).values(values)
        return statement.returning(table.c.id) if returns else statement

    return build


@dataclass
class NewCase:
    """A case ready to be inserted: its column values and its ``opened`` event."""

    values: dict[str, Any]
    event: dict[str, Any]
    #: A transient ``Case`` with these values (no id yet), for answers built before insert
    #: and handed back by ``insert_case``. Its attributes are filled as the ORM's own loader
    #: does (the instance dictionary, committed by ``make_transient_to_detached``), without
    #: an attribute event per column: ``Case(**values)`` costs several times more.
    case: Case = field(init=False)

    def __post_init__(self) -> None:
        case = _CASE_MANAGER.new_instance()
        case.__dict__.update(self.values)
        self.case = case


_CASE_MANAGER = sa.inspect(Case).class_manager


def insert_case(new: NewCase, linked: Sequence[Linked] = ()) -> tuple[Case, dict[str, Any]]:
    """Insert the case, its event and the linked rows; flush nothing else, never commit.

    Returns the case, persistent in the session, and the values the linked rows returned.
    """
    if new.event.get("from_state") is not None:
        raise ValueError("an opening event has no from_state")
    session = db.session()
    connection = session.connection()
    numbering_link = _numbering(new)
    if numbering_link is not None:
        linked = [*linked, numbering_link]
    if connection.dialect.name == "postgresql":
        params = {f"c_{k}": _value(CASES, new.values, k) for k in CASE_COLUMNS}
        params.update({f"e_{k}": _value(EVENTS, new.event, k) for k in EVENT_COLUMNS})
        for row in linked:
            params.update({f"{row.name}_{k}": v for k, v in row.params.items()})
        result = connection.execute(_combined(linked), params).one()
        case_id = int(result[0])
        values = zip(_returning(linked), result[1:], strict=True)
        returned = {row.name: value for row, value in values}
    else:
        case_id, returned = _one_by_one(connection, new, linked)
    case = new.case
    case.id = case_id
    make_transient_to_detached(case)
    session.add(case)
    session.info.setdefault(CHANGED_OUTSIDE_FLUSH, set()).add(case_id)
    if numbering_link is not None:
        numbering.queue(case_id)
    return case, returned


_NUMBERING_COLUMNS = ("before", "width", "after", "key_before", "key_after")
_insert_numbering = insert_linked(CaseNumbering.__table__, _NUMBERING_COLUMNS)  # type: ignore[arg-type]


def _numbering(new: NewCase) -> Linked | None:
    """The row that has the database number a case with a placeholder reference as the
    transaction commits (PostgreSQL, ``references.numbering_row``)."""
    if not str(new.values.get("reference", "")).startswith(PENDING_PREFIX):
        return None
    unit = db.session.get(Unit, new.values["unit_id"])
    assert unit is not None
    row = numbering_row(unit, int(new.values["serial_year"]))
    return None if row is None else Linked("numbering", _insert_numbering, row)


def _value(table: sa.Table, values: Mapping[str, Any], name: str) -> Any:
    """``values[name]``, else the column's Python-side default (the ORM would apply it: a
    column added later must not turn into a ``NULL`` here), else ``None``."""
    if name in values:
        return values[name]
    default = table.c[name].default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # type: ignore[operator]
    return default.arg if default.is_scalar else None


def _returning(linked: Sequence[Linked]) -> list[Linked]:
    return [row for row in linked if row.returns]


_STATEMENTS: dict[tuple[str, ...], Any] = {}
_LOCK = threading.Lock()


def _cached(key: tuple[str, ...], make: Callable[[], Any]) -> Any:
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = make()
        with _LOCK:
            _STATEMENTS.setdefault(key, statement)
    return _STATEMENTS[key]


def _combined(linked: Sequence[Linked]) -> Any:
    """``WITH new_case AS (INSERT INTO cases ... RETURNING id), new_event AS (INSERT INTO
    case_events ...), <linked> ... SELECT new_case.id, <returned values> FROM new_case``."""

    def make() -> Any:
        unset = {c: sa.null() for c in UNSET_CASE_COLUMNS}
        new_case = (
            sa.insert(CASES)
            .values({**bound(CASES, CASE_COLUMNS, "c_"), **unset})
            .returning(CASES.c.id)
            .cte("new_case")
        )
        case_id = sa.select(new_case.c.id).scalar_subquery()
        event = sa.insert(EVENTS).values({**bound(EVENTS, EVENT_COLUMNS, "e_"), "case_id": case_id})
        ctes = [new_case, event.cte("new_event")]
        returned = []
        for row in linked:
            cte = row.build(case_id, f"{row.name}_").cte(row.name)
            ctes.append(cte)
            if row.returns:
                returned.append(sa.select(*cte.c).scalar_subquery())
        return sa.select(new_case.c.id, *returned).add_cte(*ctes)

    return _cached(("postgresql", *(row.name for row in linked)), make)


def _one_by_one(
    connection: sa.Connection, new: NewCase, linked: Sequence[Linked]
) -> tuple[int, dict[str, Any]]:
    """The portable sequence: the case, its event, then each linked row."""
    insert_case_ = _cached(("case",), lambda: sa.insert(CASES))
    insert_event = _cached(("event",), lambda: sa.insert(EVENTS))
    values = {k: _value(CASES, new.values, k) for k in CASE_COLUMNS}
    case_id = int(connection.execute(insert_case_, values).inserted_primary_key[0])
    event = {k: _value(EVENTS, new.event, k) for k in EVENT_COLUMNS}
    connection.execute(insert_event, {**event, "case_id": case_id})
    returned: dict[str, Any] = {}
    shared = {f"c_{k}": v for k, v in values.items()}
    for row in linked:
        statement = _cached(
            ("portable", row.name),
            lambda row=row: row.build(sa.bindparam("new_case_id", type_=sa.Integer), ""),
        )
        result = connection.execute(statement, {**shared, **row.params, "new_case_id": case_id})
        if row.returns:
            returned[row.name] = result.scalar_one()
    return case_id, returned
