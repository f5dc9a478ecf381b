"""Recorded X Account Activity deliveries replayed as raw bytes."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.social.models import ItemStatus
from caseflow.social.services import register_item
from intake.models import IntakeItem, IntakeStatus
from tests.factories import make_unit, make_user
from tests.social.helpers import item, items, messages


def test_mention_becomes_an_inbox_item_keyed_by_id_str(post_x):
    assert post_x("x/tweet_mention.json").status_code == 200
    (mention,) = items("x")
    assert mention.external_id == "1993661234567890123"  # id_str, not the rounded id
    assert mention.kind == "mention"
    assert mention.author_name == "Olle Åberg"
    assert mention.text == "@SundsvikKommun Vägen vid skövdeån är full av hål, när lagas den?"


def test_direct_message_becomes_an_item(post_x):
    post_x("x/direct_message.json")
    (dm,) = items("x")
    assert dm.kind == "direct"
    assert dm.thread_key == "dm:3001969357"
    assert dm.author_name == "Olle Åberg"
    assert "sophämtningen – ingen har tömt kärlet på två veckor" in dm.text


def test_own_posts_and_own_dms_create_nothing(post_x):
    post_x("x/own_tweet.json")
    post_x("x/dm_from_account.json")
    assert items("x") == []
    deliveries = db.session.query(IntakeItem).filter(IntakeItem.channel == "x").all()
    assert [d.status for d in deliveries] == [IntakeStatus.IGNORED, IntakeStatus.IGNORED]


def test_a_second_dm_joins_the_open_case_of_the_conversation(post_x):
    post_x("x/direct_message.json")
    case = register_item(items("x")[0], actor=make_user("registrator"), unit=make_unit())
    db.session.commit()
    raw = (
        b'{"for_user_id":"2244994945","direct_message_events":[{"type":"message_create",'
        b'"id":"1993670000000001000","created_timestamp":"1764161900123","message_create":'
        b'{"target":{"recipient_id":"2244994945"},"sender_id":"3001969357","message_data":'
        b'{"text":"Och k\\u00e4rlet st\\u00e5r kvar.","entities":{"hashtags":[],"symbols":[],'
        b'"user_mentions":[],"urls":[]}}}}],"users":{}}'
    )
    post_x(raw)
    second = item("x", "1993670000000001000")
    assert second.status == ItemStatus.THREADED
    assert second.case_id == case.id
    assert messages("x")[-1].body == "Och kärlet står kvar."
