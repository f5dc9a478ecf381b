"""Moderation under BBS-lagen: reason, archived copy first, who and when, one platform call."""

from __future__ import annotations

import pytest

from caseflow.errors import Conflict, ValidationFailed
from caseflow.extensions import db
from caseflow.social.models import ModerationAction, PlatformCallStatus
from caseflow.social.queries import supervision
from caseflow.social.services import moderate_item
from caseflow.social.tasks import moderate_on_platform
from tests.factories import make_user
from tests.social.helpers import item, items

COMMENT_ID = "712750021053074_1063824911537852"
ORIGINAL = "Gatlyktan på Storgatan 12 har varit trasig i två veckor. Det är mörkt och otryggt!"


def test_hiding_keeps_the_archived_copy_and_reason_and_calls_the_platform_once(platform, post_meta):
    post_meta("meta/feed_comment.json")
    comment = item("facebook", COMMENT_ID)
    platform.expect_oneshot_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {"success": True}
    )
    moderator = make_user("registrator")
    record = moderate_item(comment, actor=moderator, reason="privacy")
    db.session.commit()
    db.session.refresh(record)
    assert record.archived_text == ORIGINAL
    assert record.archived_data["author_name"] == "Karin Ström"
    assert record.archived_data["moderation"] is None  # the state before the action
    assert (record.reason_code, record.action, record.actor_id) == ("privacy", "hide", moderator.id)
    assert record.created_at is not None
    assert record.platform_status == PlatformCallStatus.DONE
    assert comment.moderation == "hidden"
    assert comment.text == ORIGINAL  # the record keeps the text
    request, _ = platform.log[0]
    assert request.form["is_hidden"] == "true"
    moderate_on_platform(record.id)  # a redelivered job calls nothing
    assert len(platform.log) == 1
    assert record.platform_calls == 1


def test_removal_deletes_on_the_platform_and_the_item_stays(platform, post_meta):
    post_meta("meta/instagram_comment.json")
    (comment,) = items("instagram")
    platform.expect_oneshot_request(
        f"/v25.0/{comment.external_id}", method="DELETE"
    ).respond_with_json({"success": True})
    record = moderate_item(
        comment, actor=make_user("registrator"), reason="threat", action="remove"
    )
    db.session.commit()
    db.session.refresh(record)
    assert record.platform_status == PlatformCallStatus.DONE
    assert items("instagram")[0].moderation == "removed"
    assert db.session.query(ModerationAction).count() == 1


def test_other_reason_needs_a_text(post_meta, social_config):
    post_meta("meta/feed_comment.json")
    with pytest.raises(ValidationFailed) as error:
        moderate_item(item("facebook", COMMENT_ID), actor=make_user("registrator"), reason="other")
    assert "reason_text" in error.value.errors
    assert db.session.query(ModerationAction).count() == 0


def test_unknown_reason_and_direct_messages_are_refused(post_meta, social_config):
    post_meta("meta/feed_comment.json")
    post_meta("meta/messenger_text.json")
    with pytest.raises(ValidationFailed) as error:
        moderate_item(item("facebook", COMMENT_ID), actor=make_user("registrator"), reason="ful")
    assert "reason" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        moderate_item(items("messenger")[0], actor=make_user("registrator"), reason="spam")
    assert "item" in error.value.errors


def test_hiding_twice_is_a_conflict(platform, post_meta):
    post_meta("meta/feed_comment.json")
    platform.expect_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {"success": True}
    )
    comment = item("facebook", COMMENT_ID)
    moderate_item(comment, actor=make_user("registrator"), reason="spam")
    db.session.commit()
    with pytest.raises(Conflict):
        moderate_item(comment, actor=make_user("registrator"), reason="spam")


def test_permanent_platform_refusal_is_kept_on_the_record(platform, post_meta):
    post_meta("meta/feed_comment.json")
    platform.expect_oneshot_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {
            "error": {
                "message": "(#200) Permissions error",
                "type": "OAuthException",
                "code": 200,
                "fbtrace_id": "AxP1zQ7bJ2k",
            }
        },
        status=403,
    )
    record = moderate_item(item("facebook", COMMENT_ID), actor=make_user("admin"), reason="spam")
    db.session.commit()
    db.session.refresh(record)
    assert record.platform_status == PlatformCallStatus.FAILED
    assert "(#200) Permissions error" in record.platform_error


def test_supervision_shows_unreviewed_items_and_last_review_per_channel(platform, post_meta):
    post_meta("meta/feed_comment.json")
    post_meta("meta/feed_visitor_post.json")
    post_meta("meta/instagram_comment.json")
    before = {s.channel: s for s in supervision()}
    assert before["facebook"].unreviewed == 2
    assert before["facebook"].last_review_at is None
    assert before["instagram"].unreviewed == 1
    assert before["x"].unreviewed == 0
    platform.expect_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {"success": True}
    )
    moderate_item(item("facebook", COMMENT_ID), actor=make_user("registrator"), reason="spam")
    db.session.commit()
    after = {s.channel: s for s in supervision()}
    assert after["facebook"].unreviewed == 1
    assert after["facebook"].last_review_at is not None
    assert after["facebook"].moderated == 1
    assert after["instagram"].last_review_at is None


def test_x_reply_is_hidden_and_removal_is_refused(platform, post_x):
    post_x("x/tweet_mention.json")
    (mention,) = items("x")
    with pytest.raises(ValidationFailed) as refused:
        moderate_item(mention, actor=make_user("registrator"), reason="spam", action="remove")
    assert "action" in refused.value.errors
    platform.expect_oneshot_request(
        "/2/tweets/1993661234567890123/hidden", method="PUT", json={"hidden": True}
    ).respond_with_json({"data": {"hidden": True}})
    record = moderate_item(mention, actor=make_user("registrator"), reason="off_topic")
    db.session.commit()
    db.session.refresh(record)
    assert record.platform_status == PlatformCallStatus.DONE
    assert len(platform.log) == 1
