"""Core reads on the session's transaction, for the statements every report request runs."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db


def connection() -> sa.Connection:
    """The session's connection, after the flush ``session.execute`` would do first.

    Executing Core statements of table columns here returns plain tuples without the ORM's
    statement and result processing, which costs more than the small reads themselves.
    """
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection()
