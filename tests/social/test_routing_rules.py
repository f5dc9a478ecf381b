"""Routing rules register matching items automatically (Swedish, stemming-insensitive)."""

from __future__ import annotations

import pytest

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.social.matching import phrase_matches
from caseflow.social.models import ItemStatus
from caseflow.social.services import create_rule
from tests.factories import make_eservice, make_unit
from tests.social.helpers import items


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("trasig gatlykta", "Gatlyktorna på Storgatan är trasiga", True),
        ("trasig gatlykta", "Gatlyktan på Storgatan 12 har varit trasig", True),
        ("snöröjning", "Snöröjningen på Björkvägen har inte kommit", True),
        ("bygglov", "Hur ansöker jag om bygglovet?", True),
        ("trasig gatlykta", "Gatlyktan lyser fint", False),
        ("parkering", "Var finns parken?", False),
    ],
)
def test_phrase_matching(phrase, text, expected):
    assert phrase_matches(phrase, text) is expected


def test_matching_rule_registers_the_item_in_its_unit(post_meta):
    gata = make_unit()
    eservice = make_eservice(unit=gata, workflow_key="felanmalan")
    create_rule(name="Belysning", phrases=["trasig gatlykta"], unit=gata, eservice=eservice)
    post_meta("meta/feed_comment.json")
    (comment,) = items("facebook")
    assert comment.status == ItemStatus.REGISTERED
    case = db.session.get(Case, comment.case_id)
    assert (case.unit_id, case.eservice_id, case.workflow_key) == (
        gata.id,
        eservice.id,
        "felanmalan",
    )
    assert comment.routing_rule_id is not None


def test_rules_apply_in_priority_order(post_meta):
    first, second = make_unit(), make_unit()
    create_rule(name="Allmänt", phrases=["snöröjning"], unit=second, priority=50)
    create_rule(name="Vinter", phrases=["snöröjning björkvägen"], unit=first, priority=10)
    post_meta("meta/instagram_comment.json")
    (comment,) = items("instagram")
    assert db.session.get(Case, comment.case_id).unit_id == first.id


def test_rule_limited_to_another_channel_does_not_match(post_meta):
    create_rule(name="X only", phrases=["snöröjning"], unit=make_unit(), channel="x")
    post_meta("meta/instagram_comment.json")
    assert items("instagram")[0].status == ItemStatus.NEW
