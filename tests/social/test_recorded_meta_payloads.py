"""Recorded Meta deliveries replayed as raw bytes: what each kind of event becomes."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.messages.models import Direction
from caseflow.social.models import ItemStatus
from caseflow.social.services import register_item
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem, IntakeStatus
from tests.factories import make_unit, make_user
from tests.social.helpers import item, items, messages

COMMENT_ID = "712750021053074_1063824911537852"


def test_page_comment_lands_in_the_social_inbox(post_meta):
    assert post_meta("meta/feed_comment.json").status_code == 200
    comment = item("facebook", COMMENT_ID)
    assert comment.status == ItemStatus.NEW
    assert comment.kind == "comment"
    assert comment.text.startswith("Gatlyktan på Storgatan 12 har varit trasig i två veckor")
    assert comment.author_name == "Karin Ström"
    assert comment.thread_key == COMMENT_ID
    assert comment.posted_at.timestamp() == 1764140398
    delivery = db.session.get(IntakeItem, comment.intake_item_id)
    assert delivery.status == IntakeStatus.PROCESSED
    assert delivery.channel == "meta"


def test_reply_to_a_comment_joins_the_open_case_of_its_thread(post_meta):
    post_meta("meta/feed_comment.json")
    case = register_item(
        item("facebook", COMMENT_ID), actor=make_user("registrator"), unit=make_unit()
    )
    db.session.commit()
    post_meta("meta/feed_comment_reply.json")
    reply = item("facebook", "712750021053074_1063830000000001")
    assert reply.status == ItemStatus.THREADED
    assert reply.case_id == case.id
    bodies = [m.body for m in messages("facebook") if m.case_id == case.id]
    assert bodies[-1] == "Tack! Den lyser fortfarande inte i kväll."


def test_reply_to_a_comment_of_a_closed_case_goes_to_the_inbox(post_meta):
    post_meta("meta/feed_comment.json")
    case = register_item(
        item("facebook", COMMENT_ID), actor=make_user("registrator"), unit=make_unit()
    )
    case.closed_at = case.opened_at
    db.session.commit()
    post_meta("meta/feed_comment_reply.json")
    assert item("facebook", "712750021053074_1063830000000001").status == ItemStatus.NEW


def test_visitor_post_becomes_an_item(post_meta):
    post_meta("meta/feed_visitor_post.json")
    post = item("facebook", "206070979425408_798765432109876")
    assert post.kind == "post"
    assert "cykelbanan vid ån plöjd" in post.text


def test_edit_keeps_the_earlier_wording(post_meta):
    post_meta("meta/feed_comment.json")
    post_meta("meta/feed_comment_edited.json")
    assert len(items("facebook")) == 1
    comment = item("facebook", COMMENT_ID)
    assert "Storgatan 14 (inte 12)" in comment.text
    assert comment.data["edits"][0]["text"].startswith("Gatlyktan på Storgatan 12")
    assert comment.edited_at is not None


def test_removal_on_the_platform_keeps_the_item_in_the_record(post_meta):
    post_meta("meta/feed_comment.json")
    post_meta("meta/feed_comment_removed.json")
    comment = item("facebook", COMMENT_ID)
    assert comment.removed_on_platform_at is not None
    assert comment.text.startswith("Gatlyktan")


def test_messenger_text_is_an_inbox_item_without_a_dm_unit(post_meta):
    post_meta("meta/messenger_text.json")
    (dm,) = items("messenger")
    assert dm.kind == "direct"
    assert dm.thread_key == "dm:6543210987654321"
    assert dm.text == "Hej! När öppnar återvinningscentralen på lördag?"
    assert dm.posted_at.timestamp() == 1764151200.045


def test_messenger_dm_opens_a_fraga_case_in_the_dm_unit(post_meta, app, monkeypatch):
    unit = make_unit()
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", unit.prefix)
    post_meta("meta/messenger_text.json")
    (dm,) = items("messenger")
    assert dm.status == ItemStatus.REGISTERED
    case = db.session.get(Case, dm.case_id)
    assert case.workflow_key == "fraga"
    assert case.unit_id == unit.id
    assert case.channel == "messenger"
    (message,) = messages("messenger")
    assert message.direction == Direction.INBOUND
    assert message.external_id == dm.external_id
    # the next message in the same conversation joins the open case
    post_meta("meta/messenger_attachment.json")
    attachment = item("messenger", items("messenger")[1].external_id)
    assert attachment.status == ItemStatus.THREADED
    assert attachment.case_id == case.id
    assert attachment.text == "[bild]"
    assert attachment.data["attachments"][0]["url"].startswith("https://scontent.xx.fbcdn.net/")


def test_instagram_comment_becomes_an_item(post_meta):
    post_meta("meta/instagram_comment.json")
    (comment,) = items("instagram")
    assert comment.kind == "comment"
    assert comment.author_name == "asa.bergstrom"
    assert comment.text == "Snöröjningen på Björkvägen har inte kommit än \U0001f615"
    assert comment.data["media_id"] == "18012345678901234"


def test_instagram_dm_opens_a_case_by_default(post_meta, app, monkeypatch):
    unit = make_unit()
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", unit.prefix)
    post_meta("meta/instagram_dm.json")
    (dm,) = items("instagram")
    assert dm.kind == "direct"
    assert dm.status == ItemStatus.REGISTERED
    assert "parkeringstillstånd" in db.session.get(Case, dm.case_id).title


def test_every_inbound_social_message_counts_as_usage_per_channel(post_meta):
    post_meta("meta/feed_comment.json")
    post_meta("meta/messenger_batch_two_entries.json")
    post_meta("meta/instagram_comment.json")
    rows = db.session.execute(
        sa.select(UsageEvent.channel, sa.func.count())
        .where(UsageEvent.kind == "social_inbound")
        .group_by(UsageEvent.channel)
    ).all()
    assert dict(rows) == {"facebook": 1, "messenger": 2, "instagram": 1}
