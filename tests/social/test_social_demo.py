"""The demo seed fills the social inbox once."""

from __future__ import annotations

from caseflow.db import utcnow
from caseflow.social.demo import POSTS, seed_social_demo
from tests.factories import make_unit
from tests.social.helpers import items


def test_demo_fills_the_inbox_once():
    make_unit("GSF")
    assert seed_social_demo(utcnow()) == len(POSTS)
    assert {i.channel for i in items()} == {"facebook", "messenger", "instagram", "x"}
    assert all(i.status == "new" for i in items())
    assert seed_social_demo(utcnow()) == 0
