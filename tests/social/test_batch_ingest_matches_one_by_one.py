"""A drain batch ingested at once ends exactly as its deliveries ingested one after another."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case
from caseflow.citizens.models import Citizen, CitizenHandle
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.social.inbound import Event, InboundPost
from caseflow.social.ingest import ingest_batch, ingest_posts
from caseflow.social.models import SocialItem
from caseflow.social.services import create_rule
from caseflow.usage.models import UsageEvent
from tests.factories import make_unit

AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def comment(cid: str, post: str, text: str, *, parent: str | None = None, **kw: Any):
    return InboundPost(
        channel="facebook",
        external_id=cid,
        kind="comment",
        thread_key=parent or cid,
        text=text,
        posted_at=AT,
        parent_external_id=parent or post,
        author_external_id=kw.pop("author", "fb-user-1"),
        author_name=kw.pop("name", "Anna"),
        thread_candidates=(parent, post) if parent else (post,),
        **kw,
    )


def dm(mid: str, sender: str, text: str, *, name: str | None = None):
    return InboundPost(
        channel="messenger",
        external_id=mid,
        kind="direct",
        thread_key=f"dm:{sender}",
        text=text,
        posted_at=AT,
        author_external_id=sender,
        author_name=name,
        thread_candidates=(f"dm:{sender}",),
    )


@pytest.fixture
def groups(app, monkeypatch) -> list[tuple[int, list[InboundPost]]]:
    """Stored first: a rule-registered comment (an open case). Then four deliveries."""
    gata = make_unit()
    monkeypatch.setitem(app.config, "SOCIAL_DM_UNIT", make_unit().prefix)
    create_rule(name="Belysning", phrases=["trasig gatlykta"], unit=gata)
    ingest_posts([comment("c1", "P1", "Gatlyktan är trasig")], intake_item_id=1)
    db.session.flush()
    return [
        (
            2,
            [
                comment("c2", "P1", "Fortfarande mörkt", parent="c1", author="fb-user-2"),
                dm("m1", "A", "Hej, en fråga om bygglov"),
                dm("m2", "A", "Och en till", name="Bo"),
            ],
        ),
        (
            3,
            [
                comment("c3", "P2", "Tack för infon!", author="fb-user-3"),
                comment("c3", "P2", "Tack för infon! /red", event=Event.EDIT),
                dm("m4", "B", "Var hämtar jag sopkärl?", name="Cia"),
                comment("c2", "P1", "Fortfarande helt mörkt", parent="c1", event=Event.EDIT),
                replace(dm("m2", "A", ""), event=Event.REMOVE),
                comment("c3", "P2", "Tack för infon!", author="fb-user-3"),  # duplicate
            ],
        ),
        (
            4,
            [
                comment("c4", "P3", "Trasig gatlykta på Storgatan", author="fb-user-2"),
                comment("c5", "P3", "Samma här", parent="c4", author="fb-user-4"),
                dm("m3", "A", "Hallå?"),
            ],
        ),
        (5, []),
    ]


def snapshot() -> dict[str, Any]:
    """Everything ingest writes, keyed by platform ids (database ids differ between runs)."""
    db.session.flush()
    db.session.expire_all()
    first_item = {}
    for item in db.session.execute(sa.select(SocialItem).order_by(SocialItem.id)).scalars():
        if item.case_id is not None:
            first_item.setdefault(item.case_id, item.external_id)
    items = {
        item.external_id: (
            item.status,
            item.text,
            first_item.get(item.case_id),
            item.routing_rule_id is not None,
            item.edited_at is not None,
            item.removed_on_platform_at is not None,
            item.message_id is not None,
            item.intake_item_id,
        )
        for item in db.session.execute(sa.select(SocialItem)).scalars()
    }
    cases = {}
    for case in db.session.execute(sa.select(Case)).scalars():
        handle = db.session.execute(
            sa.select(CitizenHandle.external_user_id).where(
                CitizenHandle.citizen_id == case.citizen_id
            )
        ).scalar()
        bodies = db.session.execute(
            sa.select(Message.body, Message.external_id).where(Message.case_id == case.id)
        ).all()
        events = db.session.execute(
            sa.select(CaseEvent.action).where(CaseEvent.case_id == case.id)
        ).scalars()
        cases[first_item.get(case.id)] = (
            case.title,
            case.unit_id,
            case.workflow_key,
            case.state,
            handle,
            case.last_activity_at >= case.opened_at,
            sorted(bodies),
            sorted(Counter(events).items()),
        )
    handles = {
        (h.channel, h.external_user_id): (h.display_name, h.citizen.name)
        for h in db.session.execute(sa.select(CitizenHandle)).scalars()
    }
    count = sa.func.count()
    return {
        "items": items,
        "cases": cases,
        "handles": handles,
        "citizens": db.session.execute(sa.select(count).select_from(Citizen)).scalar(),
        "usage": db.session.execute(sa.select(count).select_from(UsageEvent)).scalar(),
    }


@pytest.mark.parametrize("chunk_posts", [500, 4])
def test_a_batch_writes_what_the_deliveries_write_one_by_one(groups, chunk_posts, monkeypatch):
    """Also when the batch is cut into chunks (here of about four posts)."""
    monkeypatch.setattr("caseflow.social.ingest.CHUNK_POSTS", chunk_posts)
    one_by_one = db.session.begin_nested()
    created = [ingest_posts(posts, intake_item_id=n) for n, posts in groups]
    expected = snapshot()
    one_by_one.rollback()

    assert ingest_batch(groups) == created == [3, 2, 3, 0]
    assert snapshot() == expected
    # and what that is: the conversation of A is one case, c2 and c5 joined their threads
    assert expected["items"]["m2"][0] == expected["items"]["m3"][0] == "threaded"
    assert expected["items"]["m2"][2] == expected["items"]["m3"][2] == "m1"
    assert expected["items"]["c2"][2] == "c1" and expected["items"]["c5"][2] == "c4"
    assert expected["items"]["c3"][:2] == ("new", "Tack för infon! /red")
    assert expected["handles"][("messenger", "A")] == ("Bo", None)
    assert ("social_item_edited", 1) in expected["cases"]["c1"][-1]
    assert ("social_item_removed", 1) in expected["cases"]["m1"][-1]
