"""Writes on messages: inbound from citizens, replies to them, internal notes.

Replies are sent by a job through the sender registered for the case's channel
(``register_sender``): the core never knows a platform's wire format.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app

from caseflow.audit.services import record_event
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.errors import ValidationFailed
from caseflow.extensions import db
from caseflow.jobs import enqueue, func_path
from caseflow.messages.models import DeliveryStatus, Direction, Message

Sender = Callable[[Message], str]
"""Sends one outbound message; returns the platform's id or raises a DeliveryError."""


class DeliveryError(Exception):
    """Base of delivery failures raised by senders."""


class PermanentDeliveryError(DeliveryError):
    """The platform refused for good (invalid token, no permission, window closed)."""


class TransientDeliveryError(DeliveryError):
    """Try again later (5xx, rate limits); RQ retries with back-off."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def register_sender(app: Flask, channel: str, sender: str | Sender) -> None:
    app.extensions.setdefault("caseflow_senders", {})[channel] = func_path(sender)


def sender_for(channel: str) -> str | None:
    senders: dict[str, str] = current_app.extensions.get("caseflow_senders", {})
    return senders.get(channel)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Meddelandet är tomt.", {"body": ["Skriv ett meddelande."]})
    if len(body) > 10_000:
        raise ValidationFailed("Meddelandet är för långt.", {"body": ["Högst 10 000 tecken."]})
    return body


def add_inbound_message(
    case: Case,
    body: str,
    *,
    channel: str,
    citizen_id: int | None = None,
    external_id: str | None = None,
    intake_item_id: int | None = None,
) -> Message:
    """Record what the citizen wrote on the case (a public document)."""
    message = new_inbound_message(
        case,
        body,
        channel=channel,
        citizen_id=citizen_id,
        external_id=external_id,
        intake_item_id=intake_item_id,
    )
    db.session.flush()
    record_received(message)
    return message


def new_inbound_message(
    case: Case,
    body: str,
    *,
    channel: str,
    citizen_id: int | None = None,
    external_id: str | None = None,
    intake_item_id: int | None = None,
    at: datetime | None = None,
) -> Message:
    """Add an inbound message to the session without flushing; ``record_received`` follows
    once it has an id. Batch intake adds many and flushes them as one multi-row INSERT.

    ``at`` (default now) becomes the case's last activity; a case opened for this message at
    that very instant is left untouched, so no UPDATE follows its INSERT.
    """
    message = Message(
        case_id=case.id,
        direction=Direction.INBOUND,
        channel=channel,
        body=_clean_body(body),
        public=True,
        citizen_id=citizen_id or case.citizen_id,
        external_id=external_id,
        intake_item_id=intake_item_id,
        delivery_status=DeliveryStatus.NONE,
    )
    db.session.add(message)
    at = at or utcnow()
    if case.last_activity_at != at:
        case.last_activity_at = at
    return message


def record_received(message: Message) -> None:
    """The audit event of a flushed inbound message."""
    assert message.id is not None and message.case_id is not None
    record_event(
        message.case_id,
        "message_received",
        actor_label="citizen",
        data={"message_id": message.id, "channel": message.channel},
    )


def add_note(case: Case, body: str, *, actor: User) -> Message:
    """An internal note: never shown to the citizen, never sent."""
    message = Message(
        case_id=case.id,
        direction=Direction.INTERNAL,
        channel="internal",
        body=_clean_body(body),
        public=False,
        author_id=actor.id,
        delivery_status=DeliveryStatus.NONE,
    )
    db.session.add(message)
    db.session.flush()
    record_event(case.id, "note_added", actor_id=actor.id, data={"message_id": message.id})
    return message


def post_reply(
    case: Case,
    body: str,
    *,
    actor: User | None,
    channel: str | None = None,
    reply_to_external_id: str | None = None,
) -> Message:
    """A public reply to the citizen, sent through the case's channel by a job.

    Channels without a registered sender (phone, visit) record the reply as sent on paper:
    it stays visible on the tracking page.
    """
    channel = channel or case.channel
    sender = sender_for(channel)
    message = Message(
        case_id=case.id,
        direction=Direction.OUTBOUND,
        channel=channel,
        body=_clean_body(body),
        public=True,
        author_id=actor.id if actor else None,
        reply_to_external_id=reply_to_external_id,
        delivery_status=DeliveryStatus.QUEUED if sender else DeliveryStatus.NONE,
    )
    db.session.add(message)
    case.last_activity_at = utcnow()
    db.session.flush()
    record_event(
        case.id,
        "reply_posted",
        actor_id=actor.id if actor else None,
        data={"message_id": message.id, "channel": channel},
    )
    if sender:
        enqueue_delivery(message.id)
    return message


def enqueue_delivery(message_id: int) -> None:
    enqueue(
        "caseflow.messages.tasks.deliver_message",
        message_id,
        queue="outbound",
        job_id=f"deliver-{message_id}",
        network=True,
    )
