"""Drain a channel's registered webhook deliveries in batches: one job for many deliveries.

A webhook commit asks for a drain of its channel. In RQ mode a per-channel "drain pending"
key in Redis (``SET NX`` with a TTL) makes sure only one drain job waits at a time: when one
is already waiting, the request's after-commit work is that single round trip. The drain job
clears the key *before* it claims deliveries, so a delivery committed after the claim always
finds the key free and enqueues the next drain; nothing is left waiting for the sweeper.

A deterministic RQ job id would not do this alone: a drain that is already running counts
as active, so a delivery committed during its last look would enqueue nothing.

The job claims up to ``INTAKE_DRAIN_BATCH`` deliveries (``FOR UPDATE SKIP LOCKED``, oldest
first, so two workers never take the same rows), processes each inside its own savepoint
(a failing delivery is rolled back alone and marked ``failed`` with its error) and commits
once. It asks for another drain when it filled its batch or ran out of time. A channel with a
batch processor (Meta, X) has the whole batch ingested at once (``caseflow.social.ingest``:
every read once, every write one multi-row INSERT per table) inside one savepoint; only if
that fails are the deliveries processed again one by one, each in its own savepoint.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, cast

from flask import Flask, current_app
from redis.exceptions import RedisError

from caseflow.db import AFTER_COMMIT_KEY, utcnow
from caseflow.extensions import db
from caseflow.jobs import JobSpec, dispatch, get_redis
from caseflow.social.batch_reads import shared_reads
from intake import services
from intake.models import IntakeItem, IntakeStatus
from intake.processors import batch_processor_for

log = logging.getLogger(__name__)

DRAIN_JOB = "intake.tasks.drain_deliveries"
#: Deliveries claimed per drain job (a Meta delivery holds up to 1 000 updates).
DEFAULT_BATCH = 100
#: Stop claiming work after this long; the rest goes to the next drain job.
DEFAULT_BUDGET_SECONDS = 20
#: Raw bytes of deliveries ingested together: 100 one-entry or ten-entry deliveries make one
#: slice, a delivery of 1 000 updates (about 400 KB) a slice of its own.
SLICE_BYTES = 256 * 1024
#: Job timeout: the budget plus one slow delivery.
DRAIN_TIMEOUT = 120
#: A pending key outlives a lost enqueue by at most this long (then the sweeper's age applies).
PENDING_TTL_SECONDS = 60


def pending_key(app: Flask, channel: str) -> str:
    return f"{app.config['QUEUE_PREFIX']}-intake-drain-{channel}"


def request_drain(channel: str) -> None:
    """Ask for a drain of ``channel`` once the current transaction commits."""
    db.session().after_commit(lambda: _dispatch_drain(channel))


def _dispatch_drain(channel: str) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        try:
            fresh = get_redis(app).set(
                pending_key(app, channel), "1", nx=True, ex=PENDING_TTL_SECONDS
            )
        except RedisError as exc:
            # The deliveries are committed; the sweeper picks them up when Redis is back.
            log.warning("drain request for %s failed: %s", channel, type(exc).__name__)
            return
        if not fresh:
            return  # a drain job is already waiting and will see this delivery
    dispatch(JobSpec(DRAIN_JOB, (channel,), "intake", None, False, DRAIN_TIMEOUT))


def _clear_pending(channel: str) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        return
    try:
        get_redis(app).delete(pending_key(app, channel))
    except RedisError as exc:
        log.warning("drain key for %s not cleared: %s", channel, type(exc).__name__)


def drain(channel: str) -> int:
    """Process up to one batch of ``channel``'s waiting deliveries; returns how many were handled.

    Commits once. The deliveries go in slices of about ``SLICE_BYTES`` of raw body (all of a
    batch of small deliveries is one slice), each tried whole in one savepoint (one multi-row
    write per table); if anything in a slice fails, its savepoint is rolled back and its
    deliveries are processed again one by one, each in its own savepoint, so one failing
    delivery never blocks the others: it alone is rolled back, the after-commit work it
    registered is dropped, and it is marked ``failed``. The time budget is checked between
    slices and between deliveries; what is left stays waiting for the next drain job.
    """
    _clear_pending(channel)
    batch = int(current_app.config.get("INTAKE_DRAIN_BATCH", DEFAULT_BATCH))
    budget = float(current_app.config.get("INTAKE_DRAIN_BUDGET_SECONDS", DEFAULT_BUDGET_SECONDS))
    deadline = time.monotonic() + budget
    items = services.claim_deliveries(channel, batch)
    handled = 0
    with shared_reads():
        for part in _slices(items):
            if handled and time.monotonic() > deadline:
                break
            done = _as_batch(channel, part)
            if done is None:
                done = _one_by_one(part, deadline, first=not handled)
            handled += done
            if done < len(part):
                break
    if handled < len(items) or len(items) == batch:
        request_drain(channel)  # more may be waiting; the next drain job takes them
    db.session.commit()
    return handled


def _slices(items: list[IntakeItem]) -> Iterator[list[IntakeItem]]:
    part: list[IntakeItem] = []
    size = 0
    for item in items:
        part.append(item)
        size += len(item.raw or b"")
        if size >= SLICE_BYTES:
            yield part
            part, size = [], 0
    if part:
        yield part


def _callbacks() -> list[Any]:
    return cast(list[Any], db.session().info.setdefault(AFTER_COMMIT_KEY, []))


def _as_batch(channel: str, items: list[IntakeItem]) -> int | None:
    """All of ``items`` in one savepoint; ``None`` (everything rolled back) if any part fails.

    Deliveries the channel could not read wrote nothing and are marked failed here.
    """
    process = batch_processor_for(channel)
    if process is None or len(items) < 2:
        return None
    callbacks = _callbacks()
    registered = len(callbacks)
    try:
        with db.session.begin_nested():
            failures = process(items)
            for item in items:
                if item.id in failures:
                    services.mark_failed(item.id, failures[item.id])
                    log.warning(
                        "intake item %s failed: %s", item.id, type(failures[item.id]).__name__
                    )
                else:
                    _mark_processed(item)
            db.session.flush()
    except Exception as exc:
        del callbacks[registered:]  # side effects of the rolled-back work never run
        log.info("batch of %d failed (%s); one by one", len(items), type(exc).__name__)
        return None
    return len(items)


def _mark_processed(item: IntakeItem) -> None:
    """As ``services.process_locked`` ends, without its flush (the batch flushes once)."""
    item.attempts += 1
    if item.status in services.RETRYABLE:
        item.status = IntakeStatus.PROCESSED
    item.error = None
    item.processed_at = utcnow()


def _one_by_one(items: list[IntakeItem], deadline: float, *, first: bool) -> int:
    """Each delivery in its own savepoint. With ``first`` (nothing handled yet in this job)
    the first delivery is taken even past the deadline, so every drain job makes progress."""
    callbacks = _callbacks()
    handled = 0
    for item in items:
        if (handled or not first) and time.monotonic() > deadline:
            break
        item_id = item.id
        registered = len(callbacks)
        try:
            with db.session.begin_nested():
                services.process_locked(item)
        except Exception as exc:
            del callbacks[registered:]  # side effects of the rolled-back work never run
            log.warning("intake item %s failed: %s", item_id, type(exc).__name__)
            services.mark_failed(item_id, exc)
        handled += 1
    return handled
