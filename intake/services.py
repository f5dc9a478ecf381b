"""Register inbound documents idempotently (in the request) and process them (in a job)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.jobs import enqueue
from intake.models import IntakeItem, IntakeStatus
from intake.processors import processor_for

RETRYABLE = (IntakeStatus.RECEIVED, IntakeStatus.FAILED)
MAX_ATTEMPTS = 10


def receive(
    channel: str,
    external_id: str,
    raw: bytes,
    *,
    headers: dict[str, Any] | None = None,
    kind: str = "delivery",
    data: dict[str, Any] | None = None,
    parent_id: int | None = None,
    process: bool = True,
) -> tuple[IntakeItem, bool]:
    """Store an inbound document once per (channel, external id); returns (item, created).

    A duplicate delivery returns the first registration and enqueues nothing. With
    ``process=True`` the processing job is enqueued to run after commit.
    """
    existing = _find(channel, external_id)
    if existing is not None:
        return existing, False
    item = IntakeItem(
        channel=channel,
        external_id=external_id,
        raw=raw,
        headers=headers or {},
        kind=kind,
        data=data or {},
        parent_id=parent_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        # A concurrent delivery of the same document won the race.
        found = _find(channel, external_id)
        if found is None:
            raise
        return found, False
    if process:
        enqueue_processing(item.id)
    return item, True


def _find(channel: str, external_id: str) -> IntakeItem | None:
    return db.session.execute(
        sa.select(IntakeItem).where(
            IntakeItem.channel == channel, IntakeItem.external_id == external_id
        )
    ).scalar_one_or_none()


def enqueue_processing(item_id: int) -> None:
    enqueue("intake.tasks.process_intake_item", item_id, queue="intake", job_id=f"intake-{item_id}")


def process(item_id: int) -> IntakeItem | None:
    """Hand a registered item to its channel's processor, once.

    The row is locked and its status re-read, so a redelivered job or a sweeper race finds it
    already processed and does nothing.
    """
    item = db.session.execute(
        sa.select(IntakeItem).where(IntakeItem.id == item_id).with_for_update()
    ).scalar_one_or_none()
    if item is None or item.status not in RETRYABLE:
        return item
    return process_locked(item)


def process_locked(item: IntakeItem) -> IntakeItem:
    """Run the channel's processor on an item whose row this transaction has locked."""
    processor_for(item.channel)(item)
    # Counted after the processor, so this UPDATE goes out with the status in one statement
    # (a failure rolls the attempt back with everything else; ``mark_failed`` counts it).
    item.attempts += 1
    if item.status in RETRYABLE:
        item.status = IntakeStatus.PROCESSED
    item.error = None
    item.processed_at = utcnow()
    db.session.flush()
    return item


def claim_deliveries(channel: str, limit: int) -> list[IntakeItem]:
    """Lock up to ``limit`` waiting deliveries of ``channel``, oldest first.

    ``SKIP LOCKED`` lets a second drain job take the next rows instead of waiting for these
    (PostgreSQL; SQLite has one writer at a time and ignores the clause). Failed deliveries
    are left to the sweeper, which retries them after a delay.
    """
    return list(
        db.session.execute(
            sa.select(IntakeItem)
            .where(
                IntakeItem.channel == channel,
                IntakeItem.kind == "delivery",
                IntakeItem.status == IntakeStatus.RECEIVED,
            )
            .order_by(IntakeItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).scalars()
    )


def mark_failed(item_id: int, error: BaseException) -> None:
    """Keep the failure visible on the registration (type and message only, no payload)."""
    item = db.session.get(IntakeItem, item_id)
    if item is None:
        return
    item.attempts += 1
    item.status = IntakeStatus.FAILED
    item.error = f"{type(error).__name__}: {str(error)[:500]}"


def unprocessed_item_ids(older_than: timedelta, limit: int = 1000) -> list[int]:
    cutoff = utcnow() - older_than
    rows = db.session.execute(
        sa.select(IntakeItem.id)
        .where(
            IntakeItem.status.in_([s.value for s in RETRYABLE]),
            IntakeItem.received_at < cutoff,
            IntakeItem.attempts < MAX_ATTEMPTS,
        )
        .order_by(IntakeItem.id)
        .limit(limit)
    )
    return [row[0] for row in rows]
