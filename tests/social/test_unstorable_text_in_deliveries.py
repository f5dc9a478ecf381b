"""A platform may deliver text PostgreSQL cannot store (a NUL in a comment): the webhook still
registers the delivery, and the comment arrives without the character instead of failing
its processing for ever."""

from __future__ import annotations

from caseflow.social.models import ItemStatus
from tests.social.conftest import fixture_bytes
from tests.social.helpers import item

COMMENT_ID = "712750021053074_1063824911537852"


def test_a_comment_with_nul_and_a_lone_surrogate_is_registered_and_cleaned(post_meta) -> None:
    raw = fixture_bytes("meta/feed_comment.json").replace(
        b"Gatlyktan p", b"Gat\\u0000lyktan\\ud83d p"
    )
    assert b"\\u0000" in raw
    assert post_meta(raw).status_code == 200
    comment = item("facebook", COMMENT_ID)
    assert comment.status == ItemStatus.NEW
    assert comment.text.startswith("Gatlyktan på Storgatan 12")
