"""The social inbox page: triage actions through the social services, supervision figures,
and items of other units hidden from unit-bound roles."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.social.inbound import InboundPost
from caseflow.social.models import SocialItem
from caseflow.social.services import ingest_posts
from tests.factories import make_case, make_unit, make_user


def make_item(text: str = "Gatlampan på Ekvägen är trasig", kind: str = "comment") -> SocialItem:
    external = f"fb-{uuid.uuid4().hex[:10]}"
    ingest_posts(
        [
            InboundPost(
                channel="facebook",
                external_id=external,
                kind=kind,
                thread_key=f"post-{external}",
                text=text,
                posted_at=utcnow(),
                author_name="Kim Medborgare",
            )
        ]
    )
    return db.session.execute(
        sa.select(SocialItem).where(SocialItem.external_id == external)
    ).scalar_one()


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def registrar(unit):
    return make_user(Role.REGISTRATOR, [unit])


def test_page_lists_new_items_and_supervision_figures(registrar, client_as) -> None:
    item = make_item()
    body = client_as(registrar).get("/social").get_data(as_text=True)
    assert item.text in body
    assert "Tillsyn per kanal" in body
    assert "<td>facebook</td><td>1</td>" in body


def test_register_item_as_case(unit, registrar, client_as) -> None:
    item = make_item()
    response = client_as(registrar).post(
        f"/social/{item.id}/register",
        data={"unit": unit.prefix, "title": "Trasig lampa"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    db.session.refresh(item)
    assert item.status == "registered" and item.case_id is not None
    assert "Registrerat som ärende" in response.get_data(as_text=True)


def test_register_without_unit_is_422(registrar, client_as) -> None:
    item = make_item()
    response = client_as(registrar).post(f"/social/{item.id}/register", data={})
    assert response.status_code == 422
    db.session.refresh(item)
    assert item.status == "new"


def test_attach_dismiss_and_moderate(unit, registrar, client_as) -> None:
    client = client_as(registrar)
    case = make_case(unit, title="Befintligt")
    first, second, third = make_item(), make_item("Tack!"), make_item("Hot mot politiker")
    assert (
        client.post(f"/social/{first.id}/attach", data={"case": case.reference}).status_code == 302
    )
    assert client.post(f"/social/{second.id}/dismiss", data={"note": "Tack"}).status_code == 302
    response = client.post(
        f"/social/{third.id}/moderate",
        data={"reason": "threat", "reason_text": "Olaga hot", "action": "hide"},
    )
    assert response.status_code == 302
    for item in (first, second, third):
        db.session.refresh(item)
    assert (first.status, first.case_id) == ("attached", case.id)
    assert second.status == "dismissed"
    assert third.moderation == "hidden"


def test_attach_to_an_unknown_case_is_a_field_error(registrar, client_as) -> None:
    item = make_item()
    response = client_as(registrar).post(f"/social/{item.id}/attach", data={"case": "XX 1/1"})
    assert response.status_code == 422


def test_caseworkers_do_not_see_unrouted_items(unit, client_as) -> None:
    item = make_item("Osynligt för handläggare")
    worker = make_user(Role.HANDLAGGARE, [unit])
    client = client_as(worker)
    assert "Osynligt för handläggare" not in client.get("/social").get_data(as_text=True)
    assert client.post(f"/social/{item.id}/dismiss").status_code == 404
    assert client_as(None).get("/social").status_code == 302
