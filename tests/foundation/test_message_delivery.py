"""Outbound replies go through the channel's registered sender, once, with visible failures."""

from __future__ import annotations

import pytest
from flask import Flask

from caseflow.extensions import db
from caseflow.messages.models import DeliveryStatus, Message
from caseflow.messages.services import (
    PermanentDeliveryError,
    TransientDeliveryError,
    post_reply,
    register_sender,
)
from tests.factories import make_case, make_user

SENT: list[int] = []
BEHAVIOUR: dict[str, object] = {}


def fake_platform_send(message: Message) -> str:
    """A sender as channels register them: returns the platform id or raises."""
    error = BEHAVIOUR.get("raise")
    if error is not None:
        raise error  # type: ignore[misc]
    SENT.append(message.id)
    return f"platform-{message.id}"


@pytest.fixture
def testkanal(app: Flask):
    register_sender(app, "testkanal", fake_platform_send)
    SENT.clear()
    BEHAVIOUR.clear()
    yield
    app.extensions["caseflow_senders"].pop("testkanal", None)


def test_reply_is_sent_once_and_stores_the_platform_id(testkanal) -> None:
    case = make_case(channel="testkanal")
    reply = post_reply(case, "Vi har tagit emot din anmälan.", actor=make_user())
    assert reply.delivery_status == DeliveryStatus.QUEUED
    db.session.commit()
    db.session.refresh(reply)
    assert [reply.id] == SENT
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == f"platform-{reply.id}"


def test_permanent_failure_is_visible_and_not_retried(testkanal) -> None:
    BEHAVIOUR["raise"] = PermanentDeliveryError("(#190) Invalid OAuth access token")
    reply = post_reply(make_case(channel="testkanal"), "Hej!", actor=None)
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert "Invalid OAuth" in reply.delivery_error


def test_transient_failure_is_retried_by_rq(testkanal, rq_mode, run_worker) -> None:
    BEHAVIOUR["raise"] = TransientDeliveryError("(#4) Application request limit reached")
    reply = post_reply(make_case(channel="testkanal"), "Hej igen!", actor=None)
    db.session.commit()
    run_worker()  # first attempt fails; RQ schedules a retry
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.QUEUED
    assert reply.delivery_error.startswith("retrying:")
    BEHAVIOUR.clear()
    from caseflow.messages.tasks import deliver_message

    deliver_message(reply.id)  # what the retry runs
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    deliver_message(reply.id)  # a duplicate retry sends nothing more
    assert [reply.id] == SENT


def test_reply_on_a_channel_without_sender_is_recorded_not_queued() -> None:
    reply = post_reply(make_case(channel="phone"), "Ringde upp medborgaren.", actor=None)
    assert reply.delivery_status == DeliveryStatus.NONE
