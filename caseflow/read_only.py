"""Read-only pages on PostgreSQL: each statement on its own, no BEGIN and no ROLLBACK.

A page that only reads (the inbox, the case list of the API) gains nothing from a transaction
on PostgreSQL: under READ COMMITTED every statement takes its own snapshot anyway. Without one
the request saves two round trips (``BEGIN``, ``ROLLBACK``), and, more importantly, psycopg
keeps its prepared statements: it forgets them at every ``ROLLBACK``, so a request that ends
in one never reuses a plan, and planning the page's two statements costs PostgreSQL about
four times as much as running them.

A read-only request must not write: a flush or an ORM INSERT/UPDATE/DELETE in one raises
``ReadOnlyViolation`` instead of committing statement by statement. Elsewhere (SQLite, the
tests' shared transaction, a session that already began) ``read_only`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from caseflow.db import CaseflowSession
from caseflow.extensions import db

READ_ONLY = "caseflow_read_only"
F = TypeVar("F", bound=Callable[..., Any])


class ReadOnlyViolation(RuntimeError):
    """A read-only request tried to write."""


def read_only(view: F) -> F:
    """Run ``view`` (and its sign-in check) without a transaction; put it right under the
    route, above ``require_role``, so the user's load is part of it."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        begin_read_only(db.session())
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def begin_read_only(session: Session) -> bool:
    """Give ``session`` an autocommit connection if it has none yet and talks to PostgreSQL
    through the engine; whether it did."""
    if session.in_transaction():
        return False
    bind = session.get_bind()
    if not isinstance(bind, sa.Engine) or bind.dialect.name != "postgresql":
        return False
    session.info[READ_ONLY] = True
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return True


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY):
        raise ReadOnlyViolation("a read-only request tried to write (flush)")


def _refuse_write(state: ORMExecuteState) -> None:
    if state.session.info.get(READ_ONLY) and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadOnlyViolation("a read-only request tried to write")


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(READ_ONLY, None)


def listen() -> None:
    """Install the write guards on Caseflow's session class (once per process)."""
    for name, hook in (
        ("before_flush", _refuse_flush),
        ("do_orm_execute", _refuse_write),
        ("after_transaction_end", _transaction_ended),
    ):
        if not sa.event.contains(CaseflowSession, name, hook):
            sa.event.listen(CaseflowSession, name, hook)
