"""A reply or a moderation made while Redis is away reaches the platform after a sweep."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.jobs import run_sweepers
from caseflow.messages.models import DeliveryStatus
from caseflow.social.models import PlatformCallStatus
from caseflow.social.services import moderate_item, register_item, reply_to_item
from tests.factories import make_unit, make_user
from tests.social.helpers import item
from tests.sweeping import assert_swept_once

COMMENT_ID = "712750021053074_1063824911537852"


def _comment(post_meta, run_worker):
    post_meta("meta/feed_comment.json")
    run_worker()  # the webhook's intake job
    return item("facebook", COMMENT_ID)


def test_reply_left_by_a_redis_outage_is_swept_once_and_posted(
    platform, post_meta, rq_mode, redis_outage, run_worker, monkeypatch, caplog
) -> None:
    comment = _comment(post_meta, run_worker)
    register_item(comment, actor=make_user("registrator"), unit=make_unit())
    db.session.commit()
    platform.expect_oneshot_request(
        f"/v25.0/{COMMENT_ID}/comments", method="POST"
    ).respond_with_json({"id": "712750021053074_1063830000000777"})
    with redis_outage():
        reply = reply_to_item(comment, actor=make_user("registrator"), body="Vi åtgärdar det!")
        db.session.commit()
    assert "enqueue failed" in caplog.text
    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.QUEUED

    assert_swept_once(rq_mode, monkeypatch, "messages")
    run_worker()

    db.session.refresh(reply)
    assert reply.delivery_status == DeliveryStatus.SENT
    assert reply.external_id == "712750021053074_1063830000000777"
    assert [request.form["message"] for request, _ in platform.log] == ["Vi åtgärdar det!"]
    assert run_sweepers()["messages"] == 0


def test_moderation_left_by_a_redis_outage_is_swept_once_and_called(
    platform, post_meta, rq_mode, redis_outage, run_worker, monkeypatch
) -> None:
    comment = _comment(post_meta, run_worker)
    platform.expect_oneshot_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {"success": True}
    )
    with redis_outage():
        record = moderate_item(comment, actor=make_user("registrator"), reason="privacy")
        db.session.commit()
    db.session.refresh(record)
    assert record.platform_status == PlatformCallStatus.QUEUED
    assert comment.moderation == "hidden"  # the decision is recorded; the call is owed

    assert_swept_once(rq_mode, monkeypatch, "moderation")
    run_worker()

    db.session.refresh(record)
    assert (record.platform_status, record.platform_calls) == (PlatformCallStatus.DONE, 1)
    assert [request.form["is_hidden"] for request, _ in platform.log] == ["true"]
    assert run_sweepers()["moderation"] == 0
