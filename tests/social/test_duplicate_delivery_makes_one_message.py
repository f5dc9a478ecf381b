"""Redelivered and duplicated events never make a second item or message."""

from __future__ import annotations

from caseflow.extensions import db
from intake.models import IntakeItem
from tests.factories import make_unit
from tests.social.helpers import items, messages


def test_same_delivery_three_times_makes_one_message(post_meta, app, monkeypatch):
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", make_unit().prefix)
    for _ in range(3):
        assert post_meta("meta/messenger_text.json").status_code == 200
    assert len(items("messenger")) == 1
    assert len(messages("messenger")) == 1
    assert db.session.query(IntakeItem).filter(IntakeItem.channel == "meta").count() == 1


def test_same_event_in_a_differently_batched_delivery_is_one_item(post_meta):
    post_meta("meta/messenger_batch_two_entries.json")
    # Meta retries one of the events on its own: other bytes, same mid.
    raw = (
        b'{"object":"page","entry":[{"id":"206070979425408","time":1764154899999,"messaging":'
        b'[{"sender":{"id":"5550001112223334"},"recipient":{"id":"206070979425408"},'
        b'"timestamp":1764154800001,"message":{"mid":"m_Batch1_'
        + b"a" * 73
        + b'1","text":"Hur ans\\u00f6ker jag om bygglov f\\u00f6r ett uterum?"}}]}]}'
    )
    assert post_meta(raw).status_code == 200
    assert len(items("messenger")) == 2
    assert db.session.query(IntakeItem).filter(IntakeItem.channel == "meta").count() == 2


def test_batch_of_two_entries_makes_two_items(post_meta):
    post_meta("meta/messenger_batch_two_entries.json")
    texts = [i.text for i in items("messenger")]
    assert texts == [
        "Hur ansöker jag om bygglov för ett uterum?",
        "Kan man få hjälp med färdtjänst?",
    ]


def test_echoes_and_own_page_posts_create_nothing(post_meta):
    post_meta("meta/messenger_echo.json")
    post_meta("meta/feed_page_own_comment.json")
    assert items() == []
    assert messages() == []


def test_two_messages_of_one_conversation_in_one_batch_make_one_case(post_meta, app, monkeypatch):
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", make_unit().prefix)
    entry = (
        '{"id":"206070979425408","time":1764154800123,"messaging":[{"sender":{"id":'
        '"5550001112223334"},"recipient":{"id":"206070979425408"},"timestamp":%d,'
        '"message":{"mid":"m_same_conversation_%d","text":"Del %d av fr\\u00e5gan"}}]}'
    )
    raw = (
        '{"object":"page","entry":['
        + ",".join(entry % (1764154800001 + n, n, n) for n in (1, 2))
        + "]}"
    ).encode()
    assert post_meta(raw).status_code == 200
    first, second = items("messenger")
    assert first.case_id is not None
    assert second.case_id == first.case_id
    assert [m.body for m in messages("messenger")] == ["Del 1 av frågan", "Del 2 av frågan"]
