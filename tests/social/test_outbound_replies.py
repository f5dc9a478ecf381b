"""Replies reach the platform's API (a local stand-in speaking its format) with visible status."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug import Request, Response

from caseflow.db import utcnow
from caseflow.errors import ValidationFailed
from caseflow.extensions import db
from caseflow.messages.models import DeliveryStatus, Message
from caseflow.messages.services import post_reply
from caseflow.messages.tasks import deliver_message
from caseflow.social.services import register_item, reply_to_item
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem
from tests.factories import make_unit, make_user
from tests.social.helpers import item, items

COMMENT_ID = "712750021053074_1063824911537852"
GRAPH_THROTTLED = {
    "error": {
        "message": "(#4) Application request limit reached",
        "type": "OAuthException",
        "is_transient": True,
        "code": 4,
        "fbtrace_id": "Arh2gqLppNgpXBQMILRJ8lm",
    }
}
GRAPH_BAD_TOKEN = {
    "error": {
        "message": "Error validating access token: Session has expired on Wednesday, "
        "25-Nov-26 23:00:00 PST. The current time is Thursday, 26-Nov-26 01:12:04 PST.",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
        "fbtrace_id": "A7kZ2Qe1LmN",
    }
}


def _registered_comment(post_meta):
    post_meta("meta/feed_comment.json")
    comment = item("facebook", COMMENT_ID)
    case = register_item(comment, actor=make_user("registrator"), unit=make_unit())
    db.session.commit()
    return comment, case


def test_comment_reply_is_posted_and_stores_the_platform_id(platform, post_meta):
    comment, case = _registered_comment(post_meta)
    platform.expect_oneshot_request(
        f"/v25.0/{COMMENT_ID}/comments",
        method="POST",
        headers={"Authorization": "Bearer EAAGtestpagetoken"},
    ).respond_with_json({"id": "712750021053074_1063830000000777"})
    reply = reply_to_item(comment, actor=make_user("registrator"), body="Tack, vi åtgärdar det!")
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == "712750021053074_1063830000000777"
    assert reply.case_id == case.id
    request, _ = platform.log[0]
    assert request.form["message"] == "Tack, vi åtgärdar det!"
    assert "access_token" not in request.url
    assert (
        db.session.query(UsageEvent).filter_by(kind="social_outbound", channel="facebook").count()
        == 1
    )


def test_a_reply_posted_on_the_case_finds_its_way_back_to_the_comment(platform, post_meta):
    _, case = _registered_comment(post_meta)
    platform.expect_oneshot_request(
        f"/v25.0/{COMMENT_ID}/comments", method="POST"
    ).respond_with_json({"id": "712750021053074_1063830000000778"})
    reply = post_reply(case, "Felanmälan är skickad.", actor=make_user())
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == "712750021053074_1063830000000778"


def test_rate_limit_is_retried_then_succeeds(platform, post_meta, app, monkeypatch):
    comment, _ = _registered_comment(post_meta)
    monkeypatch.setitem(app.config, "JOBS_INLINE_RAISE", False)
    platform.expect_ordered_request(
        f"/v25.0/{COMMENT_ID}/comments", method="POST"
    ).respond_with_json(GRAPH_THROTTLED, status=400)
    platform.expect_ordered_request(
        f"/v25.0/{COMMENT_ID}/comments", method="POST"
    ).respond_with_json({"id": "712750021053074_1063830000000779"})
    reply = reply_to_item(comment, actor=make_user("registrator"), body="Vi tittar på det.")
    db.session.commit()  # first attempt: throttled
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.QUEUED
    assert "(#4) Application request limit reached" in reply.delivery_error
    deliver_message(reply.id)  # what RQ's retry runs
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == "712750021053074_1063830000000779"
    assert len(platform.log) == 2


def test_invalid_token_fails_for_good_and_is_visible_on_the_case(platform, post_meta, client_as):
    comment, case = _registered_comment(post_meta)
    platform.expect_oneshot_request(
        f"/v25.0/{COMMENT_ID}/comments", method="POST"
    ).respond_with_json(GRAPH_BAD_TOKEN, status=400)
    reply = reply_to_item(comment, actor=make_user("registrator"), body="Hej Karin!")
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert "(#190/463) Error validating access token" in reply.delivery_error
    deliver_message(reply.id)  # nothing more is sent
    assert len(platform.log) == 1
    from caseflow.audit.models import CaseEvent

    events = db.session.execute(
        sa.select(CaseEvent.action).where(CaseEvent.case_id == case.id)
    ).scalars()
    assert "message_failed" in list(events)


def _messenger_item(post_meta, age: timedelta):
    post_meta("meta/messenger_text.json")
    (dm,) = items("messenger")
    dm.posted_at = utcnow() - age
    db.session.flush()
    return dm


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(hours=2), {"messaging_type": "RESPONSE"}),
        (timedelta(days=3), {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}),
    ],
)
def test_messenger_reply_uses_response_or_human_agent(platform, post_meta, age, expected):
    dm = _messenger_item(post_meta, age)
    platform.expect_oneshot_request("/v25.0/me/messages", method="POST").respond_with_json(
        {"recipient_id": "6543210987654321", "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"}
    )
    reply = reply_to_item(dm, actor=make_user("registrator"), body="Kl. 10–16 på lördag.")
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"
    assert reply.case_id is None  # a recorded dialogue without a case
    sent = json.loads(platform.log[0][0].get_data())
    assert sent["recipient"] == {"id": "6543210987654321"}
    assert sent["message"] == {"text": "Kl. 10–16 på lördag."}
    assert {k: sent[k] for k in expected} == expected
    recorded = db.session.execute(
        sa.select(Message.direction).where(
            Message.case_id.is_(None), Message.channel == "messenger"
        )
    ).scalars()
    assert sorted(recorded) == ["inbound", "outbound"]


def test_messenger_reply_after_seven_days_is_refused_clearly(platform, post_meta):
    dm = _messenger_item(post_meta, timedelta(days=8))
    with pytest.raises(ValidationFailed) as refused:
        reply_to_item(dm, actor=make_user("registrator"), body="Hej!")
    assert "e-post, telefon eller brev" in refused.value.message
    assert platform.log == []


def test_x_mention_reply_and_dm(platform, post_x):
    post_x("x/tweet_mention.json")
    post_x("x/direct_message.json")
    mention, dm = items("x")
    platform.expect_oneshot_request("/2/tweets", method="POST").respond_with_json(
        {"data": {"id": "1993668000000000555", "text": "@olle_aberg Tack!"}}, status=201
    )
    platform.expect_oneshot_request(
        "/2/dm_conversations/with/3001969357/messages", method="POST"
    ).respond_with_json(
        {"data": {"dm_conversation_id": "2244994945-3001969357", "dm_event_id": "1993670000002"}},
        status=201,
    )
    actor = make_user("registrator")
    tweet = reply_to_item(mention, actor=actor, body="@olle_aberg Tack!")
    direct = reply_to_item(dm, actor=actor, body="Vi ordnar tömning i morgon.")
    db.session.commit()
    db.session.refresh(tweet)
    db.session.refresh(direct)
    assert (tweet.delivery_status, tweet.external_id) == ("sent", "1993668000000000555")
    assert (direct.delivery_status, direct.external_id) == ("sent", "1993670000002")
    sent = json.loads(platform.log[0][0].get_data())
    assert sent == {
        "text": "@olle_aberg Tack!",
        "reply": {"in_reply_to_tweet_id": "1993661234567890123"},
    }


def test_x_reply_restriction_is_a_permanent_failure(platform, post_x):
    post_x("x/tweet_mention.json")
    platform.expect_oneshot_request("/2/tweets", method="POST").respond_with_json(
        {
            "detail": "Reply to this conversation is not allowed because you have not been "
            "mentioned or otherwise engaged by the author of the post you are replying to.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
        status=403,
    )
    reply = reply_to_item(items("x")[0], actor=make_user("registrator"), body="Hej!")
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert "Reply to this conversation is not allowed" in reply.delivery_error


@pytest.mark.redis
def test_x_rate_limit_is_retried_at_the_reset_time(
    platform, post_x, app, monkeypatch, rq_mode, redis_url, run_worker
):
    """A 429 reschedules the RQ job for ``x-rate-limit-reset``, not the fixed back-off."""
    import uuid

    from rq.registry import ScheduledJobRegistry

    from caseflow.jobs import get_queue
    from intake.tasks import process_intake_item

    reset = int(time.time()) + 120

    def throttled(request: Request) -> Response:
        return Response(
            json.dumps(
                {
                    "title": "Too Many Requests",
                    "detail": "Too Many Requests",
                    "type": "about:blank",
                    "status": 429,
                }
            ),
            status=429,
            headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"},
            content_type="application/json",
        )

    platform.expect_request("/2/tweets", method="POST").respond_with_handler(throttled)
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # register and process inline
    monkeypatch.setitem(app.config, "JOBS_INLINE_RAISE", False)
    post_x("x/tweet_mention.json")
    for delivery in db.session.query(IntakeItem).filter_by(channel="x"):
        process_intake_item(delivery.id)
    reply = reply_to_item(items("x")[0], actor=make_user("registrator"), body="Hej Olle!")
    db.session.commit()  # the inline attempt is throttled and logged
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    job_id = f"deliver-test-{uuid.uuid4().hex}"
    get_queue("outbound").enqueue(
        "caseflow.messages.tasks.deliver_message", reply.id, job_id=job_id
    )
    run_worker()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.QUEUED
    assert reply.delivery_error.startswith("retrying: X 429")
    registry = ScheduledJobRegistry(queue=get_queue("outbound"))
    scheduled = registry.get_scheduled_time(job_id)
    registry.remove(job_id, delete_job=True)  # job hashes are not under the test's prefix
    assert abs(scheduled.timestamp() - reset) < 5


def test_queued_messenger_reply_after_the_window_fails_with_the_reason(platform, post_meta, app):
    unit = make_unit()
    app.config["SOCIAL_DM_UNIT"] = unit.prefix
    try:
        post_meta("meta/messenger_text.json")
    finally:
        app.config["SOCIAL_DM_UNIT"] = None
    (dm,) = items("messenger")
    dm.posted_at = utcnow() - timedelta(days=9)
    db.session.flush()
    from caseflow.cases.models import Case

    reply = post_reply(db.session.get(Case, dm.case_id), "Hej igen!", actor=make_user())
    db.session.commit()
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert "Utanför svarsfönstret" in reply.delivery_error
    assert platform.log == []


def test_dialogue_answered_without_a_case_moves_onto_the_case_when_registered(platform, post_meta):
    dm = _messenger_item(post_meta, timedelta(hours=1))
    platform.expect_oneshot_request("/v25.0/me/messages", method="POST").respond_with_json(
        {"recipient_id": "6543210987654321", "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEN"}
    )
    actor = make_user("registrator")
    reply = reply_to_item(dm, actor=actor, body="Vi återkommer.")
    db.session.commit()
    case = register_item(dm, actor=actor, unit=make_unit())
    db.session.commit()
    on_case = db.session.execute(
        sa.select(Message.direction, Message.body).where(Message.case_id == case.id)
    ).all()
    assert sorted(on_case) == [
        ("inbound", "Hej! När öppnar återvinningscentralen på lördag?"),
        ("outbound", "Vi återkommer."),
    ]
    assert db.session.get(Message, reply.id).case_id == case.id


def test_instagram_comment_reply_goes_to_the_replies_edge(platform, post_meta):
    post_meta("meta/instagram_comment.json")
    (comment,) = items("instagram")
    platform.expect_oneshot_request(
        "/v25.0/18098765432109876/replies", method="POST"
    ).respond_with_json({"id": "18098765432100001"})
    reply = reply_to_item(comment, actor=make_user("registrator"), body="Plogbilen är på väg!")
    db.session.commit()
    db.session.refresh(reply)
    assert (reply.delivery_status, reply.external_id) == ("sent", "18098765432100001")
    assert platform.log[0][0].form["message"] == "Plogbilen är på väg!"


def test_instagram_dm_case_reply_reaches_the_send_api(platform, post_meta, app, monkeypatch):
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", make_unit().prefix)
    post_meta("meta/instagram_dm.json")
    (dm,) = items("instagram")
    dm.posted_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    from caseflow.cases.models import Case

    platform.expect_oneshot_request("/v25.0/me/messages", method="POST").respond_with_json(
        {"recipient_id": "1122334455667788", "message_id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZA"}
    )
    reply = post_reply(
        db.session.get(Case, dm.case_id), "Ansökan lämnas på Medborgarkontoret.", actor=None
    )
    db.session.commit()
    db.session.refresh(reply)
    assert (reply.delivery_status, reply.external_id) == (
        "sent",
        "aWdfZAG1faXRlbToxOklHTWVzc2FnZA",
    )
    sent = json.loads(platform.log[0][0].get_data())
    assert sent["recipient"] == {"id": "1122334455667788"}
    assert sent["messaging_type"] == "RESPONSE"
