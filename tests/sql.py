"""Recording the SQL statements a piece of code sends, for tests that pin query counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db


@contextmanager
def recorded_statements(engine: sa.Engine | None = None) -> Iterator[list[str]]:
    """Every statement sent through ``engine`` (the session's by default) inside the block,
    in order, whitespace collapsed to single spaces (savepoints included)."""
    engine = engine or db.session.get_bind().engine
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
