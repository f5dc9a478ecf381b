"""Register a signed webhook delivery in one statement (also used by the X channel).

``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` on the (channel, external id) key: a
redelivery finds the key taken and enqueues nothing. One round trip instead of
select + savepoint + insert + release keeps the acknowledgement fast.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.extensions import db
from intake.drain import request_drain
from intake.models import IntakeItem


def delivery_key(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


@lru_cache(maxsize=4)
def _statement(dialect: str) -> Any:
    """Built once per dialect (Core, bound parameters), so it compiles once."""
    table = cast(sa.Table, IntakeItem.__table__)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(table.c.id)
    )


def register_delivery(channel: str, raw: bytes, headers: dict[str, Any]) -> int | None:
    """Store the raw delivery once; returns the new id, or ``None`` for a duplicate.

    A drain of the channel is requested to run after the caller commits.
    """
    statement = _statement(db.session.get_bind().dialect.name)
    new_id = db.session.execute(
        statement,
        {
            "channel": channel,
            "external_id": delivery_key(raw),
            "kind": "delivery",
            "raw": raw,
            "headers": headers,
            "data": {},
        },
    ).scalar_one_or_none()
    if new_id is not None:
        # One drain job per channel processes the waiting deliveries in a batch; when one is
        # already waiting this costs a single Redis round trip after commit.
        request_drain(channel)
    return new_id
