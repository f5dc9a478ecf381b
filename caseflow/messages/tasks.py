"""Deliver outbound messages through their channel's sender."""

from __future__ import annotations

import sqlalchemy as sa
from rq import Retry, get_current_job

from caseflow.audit.services import record_event
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.jobs import resolve
from caseflow.messages.models import DeliveryStatus, Message
from caseflow.messages.services import PermanentDeliveryError, TransientDeliveryError, sender_for

MAX_TIMED_RETRIES = 5


def deliver_message(message_id: int) -> Retry | None:
    """Send once: a message already sent or failed for good is left alone.

    Transient errors are recorded and re-raised so RQ retries with back-off; permanent ones
    mark the message failed with the reason, visible on the case. A transient error that says
    when to come back (X's ``x-rate-limit-reset``) is retried at that time instead.
    """
    message = db.session.execute(
        sa.select(Message).where(Message.id == message_id).with_for_update()
    ).scalar_one_or_none()
    if message is None or message.delivery_status != DeliveryStatus.QUEUED:
        return
    path = sender_for(message.channel)
    if path is None:
        _fail(message, f"no sender for channel {message.channel}")
        db.session.commit()
        return
    try:
        external_id = resolve(path)(message)
    except PermanentDeliveryError as exc:
        _fail(message, str(exc))
        db.session.commit()
        return
    except TransientDeliveryError as exc:
        db.session.rollback()
        _note_retry(message_id, str(exc))
        if exc.retry_after and get_current_job() is not None:
            return Retry(max=MAX_TIMED_RETRIES, interval=int(exc.retry_after))
        raise
    message.delivery_status = DeliveryStatus.SENT
    message.external_id = external_id or message.external_id
    message.delivery_error = None
    message.sent_at = utcnow()
    if message.case_id:
        record_event(message.case_id, "message_sent", data={"message_id": message.id})
    db.session.commit()
    return None


def _fail(message: Message, reason: str) -> None:
    message.delivery_status = DeliveryStatus.FAILED
    message.delivery_error = reason[:1000]
    if message.case_id:
        record_event(
            message.case_id,
            "message_failed",
            data={"message_id": message.id, "reason": reason[:200]},
        )


def _note_retry(message_id: int, reason: str) -> None:
    message = db.session.get(Message, message_id)
    if message is not None:
        message.delivery_error = f"retrying: {reason[:900]}"
        db.session.commit()
