"""The query every outbound sweeper shares: rows still waiting for their job, oldest first.

A row younger than ``SWEEP_AFTER_SECONDS`` is left alone (its job was enqueued a moment ago
and is likely still waiting), and one run takes at most ``SWEEP_BATCH`` rows so a long outage
is worked off over several runs instead of one long transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from caseflow.db import utcnow
from caseflow.extensions import db


def sweep_cutoff() -> datetime:
    """Rows created before this instant are old enough to be swept."""
    return utcnow() - timedelta(seconds=int(current_app.config["SWEEP_AFTER_SECONDS"]))


def left_behind(model: type, waiting: sa.ColumnElement[bool]) -> list[int]:
    """Ids of ``model`` rows matching ``waiting`` older than the cut-off, oldest first."""
    return list(db.session.execute(left_behind_query(model, waiting)).scalars())


def left_behind_query(model: type, waiting: sa.ColumnElement[bool]) -> sa.Select[tuple[int]]:
    """``model`` has ``id`` and ``created_at``; ``waiting`` matches the predicate of a partial
    index on ``created_at``, so the query reads only waiting rows however big the table grows.
    """
    return (
        sa.select(model.id)  # type: ignore[attr-defined]
        .where(waiting, model.created_at < sweep_cutoff())  # type: ignore[attr-defined]
        .order_by(model.created_at)  # type: ignore[attr-defined]
        .limit(int(current_app.config["SWEEP_BATCH"]))
    )
