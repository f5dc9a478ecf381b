"""RQ jobs of the intake side. They take ids, reload state and commit once."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from caseflow.extensions import db
from intake import drain, services


def process_intake_item(item_id: int) -> None:
    try:
        services.process(item_id)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        services.mark_failed(item_id, exc)
        db.session.commit()
        raise  # RQ records the failure and retries; the sweeper is the last resort


def drain_deliveries(channel: str) -> int:
    """Process a batch of a webhook channel's registered deliveries in one job."""
    return drain.drain(channel)


def sweep_unprocessed() -> int:
    """Re-enqueue items a crash or a Redis outage left unprocessed; returns how many."""
    age = timedelta(seconds=int(current_app.config["SWEEP_AFTER_SECONDS"]))
    ids = services.unprocessed_item_ids(age)
    for item_id in ids:
        services.enqueue_processing(item_id)
    return len(ids)
