"""The social inbox JSON API: filters, triage verbs, validation and access rules."""

from __future__ import annotations

import pytest

from caseflow.extensions import db
from caseflow.social.models import ItemStatus
from tests.factories import make_case, make_eservice, make_unit, make_user
from tests.social.helpers import item, items

COMMENT_ID = "712750021053074_1063824911537852"


@pytest.fixture
def inbox(post_meta, post_x):
    post_meta("meta/feed_comment.json")
    post_meta("meta/messenger_text.json")
    post_x("x/tweet_mention.json")
    return items()


def test_registrator_lists_the_inbox_with_filters(inbox, client_as):
    api = client_as(make_user("registrator"))
    body = api.get("/api/v1/social/inbox").get_json()
    assert body["total"] == 3
    assert {i["channel"] for i in body["items"]} == {"facebook", "messenger", "x"}
    only_x = api.get("/api/v1/social/inbox?channel=x").get_json()
    assert [i["external_id"] for i in only_x["items"]] == ["1993661234567890123"]
    found = api.get("/api/v1/social/inbox", query_string={"q": "återvinning"}).get_json()
    assert [i["channel"] for i in found["items"]] == ["messenger"]
    assert api.get("/api/v1/social/inbox?status=dismissed").get_json()["total"] == 0


def test_bad_filters_are_422_with_field_messages(inbox, client_as):
    api = client_as(make_user("registrator"))
    response = api.get("/api/v1/social/inbox?channel=myspace&limit=0")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"channel", "limit"}


def test_anonymous_is_401(inbox, client):
    assert client.get("/api/v1/social/inbox").status_code == 401
    assert client.post(f"/api/v1/social/inbox/{inbox[0].id}/dismiss", json={}).status_code == 401


def test_caseworker_sees_only_items_routed_to_their_units(inbox, client_as):
    unit = make_unit()
    worker = make_user("handlaggare", units=[unit])
    api = client_as(worker)
    assert api.get("/api/v1/social/inbox").get_json()["total"] == 0
    assert api.post(f"/api/v1/social/inbox/{inbox[0].id}/dismiss", json={}).status_code == 404
    inbox[0].unit_id = unit.id
    db.session.commit()
    assert api.get("/api/v1/social/inbox").get_json()["total"] == 1
    assert api.post(f"/api/v1/social/inbox/{inbox[0].id}/dismiss", json={}).status_code == 200


def test_register_opens_a_case_with_the_item_as_first_message(inbox, client_as):
    eservice = make_eservice(workflow_key="felanmalan")
    api = client_as(make_user("registrator"))
    comment = item("facebook", COMMENT_ID)
    response = api.post(
        f"/api/v1/social/inbox/{comment.id}/register",
        json={"eservice": eservice.slug, "title": "Trasig gatlykta Storgatan 12"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["item"]["status"] == "registered"
    assert body["case_reference"].startswith(eservice.unit.prefix)
    again = api.post(f"/api/v1/social/inbox/{comment.id}/register", json={"unit": "X"})
    assert again.status_code in (409, 422)


def test_register_needs_a_unit_or_eservice(inbox, client_as):
    api = client_as(make_user("registrator"))
    response = api.post(f"/api/v1/social/inbox/{inbox[0].id}/register", json={})
    assert response.status_code == 422
    assert "unit" in response.get_json()["errors"]
    unknown = api.post(f"/api/v1/social/inbox/{inbox[0].id}/register", json={"unit": "NOPE"})
    assert unknown.status_code == 422
    assert db.session.get(type(inbox[0]), inbox[0].id).status == ItemStatus.NEW


def test_caseworker_cannot_register_into_another_unit(inbox, client_as):
    own, other = make_unit(), make_unit()
    inbox[0].unit_id = own.id
    db.session.commit()
    api = client_as(make_user("handlaggare", units=[own]))
    response = api.post(f"/api/v1/social/inbox/{inbox[0].id}/register", json={"unit": other.prefix})
    assert response.status_code == 403


def test_attach_adds_the_item_to_an_existing_case(inbox, client_as):
    case = make_case(channel="facebook")
    api = client_as(make_user("registrator"))
    comment = item("facebook", COMMENT_ID)
    response = api.post(f"/api/v1/social/inbox/{comment.id}/attach", json={"case": case.reference})
    assert response.status_code == 200
    assert response.get_json()["item"]["case_id"] == case.id
    missing = api.post(f"/api/v1/social/inbox/{inbox[1].id}/attach", json={"case": "XX 1999/1"})
    assert missing.status_code == 422
    assert "case" in missing.get_json()["errors"]


def test_dismiss_and_moderate_validation(inbox, client_as, platform):
    api = client_as(make_user("registrator"))
    comment = item("facebook", COMMENT_ID)
    bad = api.post(f"/api/v1/social/inbox/{comment.id}/moderate", json={"reason": "tråkig"})
    assert bad.status_code == 422
    assert "reason" in bad.get_json()["errors"]
    other = api.post(f"/api/v1/social/inbox/{comment.id}/moderate", json={"reason": "other"})
    assert other.status_code == 422
    assert "reason_text" in other.get_json()["errors"]
    platform.expect_oneshot_request(f"/v25.0/{COMMENT_ID}", method="POST").respond_with_json(
        {"success": True}
    )
    ok = api.post(
        f"/api/v1/social/inbox/{comment.id}/moderate",
        json={"reason": "other", "reason_text": "Reklam för annan verksamhet"},
    )
    assert ok.status_code == 200
    assert ok.get_json()["moderation"]["platform_status"] == "done"
    dm = items("messenger")[0]
    assert api.post(f"/api/v1/social/inbox/{dm.id}/dismiss", json={}).status_code == 200
    assert api.post(f"/api/v1/social/inbox/{dm.id}/dismiss", json={}).status_code == 409


def test_reply_endpoint_sends_through_the_channel(inbox, client_as, platform):
    platform.expect_oneshot_request("/2/tweets", method="POST").respond_with_json(
        {"data": {"id": "1993668000000000600", "text": "Tack för tipset!"}}, status=201
    )
    api = client_as(make_user("registrator"))
    mention = items("x")[0]
    response = api.post(
        f"/api/v1/social/inbox/{mention.id}/reply", json={"body": "Tack för tipset!"}
    )
    assert response.status_code == 202
    assert response.get_json()["item"]["status"] == "replied"
    empty = api.post(f"/api/v1/social/inbox/{mention.id}/reply", json={"body": ""})
    assert empty.status_code == 422


def test_supervision_endpoint(inbox, client_as):
    body = client_as(make_user("enhetschef")).get("/api/v1/social/supervision").get_json()
    assert {row["channel"]: row["unreviewed"] for row in body} == {
        "facebook": 1,
        "messenger": 1,
        "instagram": 0,
        "x": 1,
    }
