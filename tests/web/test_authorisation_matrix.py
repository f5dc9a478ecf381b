"""Every caseworker endpoint (HTML and JSON) × role × own unit / other unit / anonymous.

Caseworkers and unit leads get 404 for another unit's case (never 403: references must not
leak) and nothing of that case appears in any body; registrars and admins see all units.
Anonymous browsers are sent to the sign-in page, anonymous API clients get 401.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.web.services import add_attachment

ROLES = ("handlaggare", "enhetschef", "registrator", "admin")
UNIT_BOUND = {"handlaggare", "enhetschef"}


def _file() -> dict:
    return {"file": (io.BytesIO(b"%PDF-1.4 test"), "bilaga.pdf")}


#: name -> (method, path, kind, payload, {role: expected status on a visible case})
CASE_ENDPOINTS = {
    "page": ("GET", "/cases/{ref}", "html", None, dict.fromkeys(ROLES, 200)),
    "note": ("POST", "/cases/{ref}/note", "html", {"body": "Intern"}, dict.fromkeys(ROLES, 302)),
    "reply": ("POST", "/cases/{ref}/reply", "html", {"body": "Hej"}, dict.fromkeys(ROLES, 302)),
    "assign": (
        "POST",
        "/cases/{ref}/assign",
        "html",
        {"assignee_id": "none"},
        dict.fromkeys(ROLES, 302),
    ),
    "priority": (
        "POST",
        "/cases/{ref}/priority",
        "html",
        {"priority": "high"},
        dict.fromkeys(ROLES, 302),
    ),
    "transition": (
        "POST",
        "/cases/{ref}/transition",
        "html",
        {"transition": "register"},
        {"handlaggare": 302, "enhetschef": 302, "registrator": 302, "admin": 403},
    ),
    "duplicate": (
        "POST",
        "/cases/{ref}/duplicate",
        "html",
        {"main_reference": "{ref}"},
        dict.fromkeys(ROLES, 422),
    ),
    "attach": ("POST", "/cases/{ref}/attachments", "html", "file", dict.fromkeys(ROLES, 302)),
    "download": ("GET", "/cases/{ref}/attachments/{att}", "html", None, dict.fromkeys(ROLES, 200)),
    "contact": ("POST", "/cases/{ref}/contact", "html", {}, dict.fromkeys(ROLES, 200)),
    "api_get": ("GET", "/api/v1/cases/{ref}", "json", None, dict.fromkeys(ROLES, 200)),
    "api_message": (
        "POST",
        "/api/v1/cases/{ref}/messages",
        "json",
        {"body": "Hej", "public": True},
        dict.fromkeys(ROLES, 201),
    ),
    "api_note": (
        "POST",
        "/api/v1/cases/{ref}/messages",
        "json",
        {"body": "Notis", "public": False},
        dict.fromkeys(ROLES, 201),
    ),
    "api_assign": (
        "POST",
        "/api/v1/cases/{ref}/assign",
        "json",
        {"assignee_id": None},
        dict.fromkeys(ROLES, 200),
    ),
    "api_duplicate": (
        "POST",
        "/api/v1/cases/{ref}/duplicate-of",
        "json",
        {"main_reference": "{ref}"},
        dict.fromkeys(ROLES, 422),
    ),
    "api_transitions": (
        "GET",
        "/api/v1/cases/{ref}/transitions",
        "json",
        None,
        dict.fromkeys(ROLES, 200),
    ),
}

LIST_ENDPOINTS = {
    "inbox": ("/inbox", "html"),
    "inbox_search": ("/inbox?view=all&q=Bäckvägen", "html"),
    "inbox_queue": ("/inbox?view=queue", "html"),
    "api_list": ("/api/v1/cases", "json"),
    "api_search": ("/api/v1/cases?view=all&q=Solstrålen", "json"),
    "tokens": ("/account/tokens", "html"),
}

ADMIN_PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/units",
    "/admin/eservices",
    "/admin/workflows",
    "/admin/routing-rules",
]


def _leaks(world, body: str) -> list[str]:
    other = world.other_case
    secrets = [
        other.reference,
        other.reference_key,
        other.title,
        "Solstrålen",
        "Ingen ska se detta meddelande",
        "granne@example.se",
    ]
    return [s for s in secrets if s in body]


def _call(client, world, endpoint: str, case):
    method, path, kind, payload, _expected = CASE_ENDPOINTS[endpoint]
    attachment = add_attachment(case, "intyg.pdf", b"%PDF-1.4", actor=world.users["admin"])
    url = path.format(ref=case.reference_key, att=attachment.id)
    if kind == "json":
        body = {
            k: (v.format(ref=case.reference) if isinstance(v, str) else v)
            for k, v in (payload or {}).items()
        }
        return client.open(url, method=method, json=body if method == "POST" else None)
    if payload == "file":
        return client.post(url, data=_file(), content_type="multipart/form-data")
    data = {k: v.format(ref=case.reference) for k, v in (payload or {}).items()}
    return client.open(url, method=method, data=data if method == "POST" else None)


@pytest.mark.parametrize("endpoint", sorted(CASE_ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_own_unit_case(world, client_as, role, endpoint) -> None:
    response = _call(client_as(world.users[role]), world, endpoint, world.own_case)
    assert response.status_code == CASE_ENDPOINTS[endpoint][4][role], response.get_data(True)[:500]
    assert not _leaks(world, response.get_data(as_text=True))


def _writes(world) -> tuple[int, int]:
    case_id = world.other_case.id
    messages = db.session.execute(
        sa.select(sa.func.count()).select_from(Message).where(Message.case_id == case_id)
    ).scalar_one()
    events = db.session.execute(
        sa.select(sa.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
    ).scalar_one()
    return messages, events


@pytest.mark.parametrize("endpoint", sorted(CASE_ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_other_unit_case(world, client_as, role, endpoint) -> None:
    before = _writes(world)
    response = _call(client_as(world.users[role]), world, endpoint, world.other_case)
    body = response.get_data(as_text=True)
    if role in UNIT_BOUND:
        assert response.status_code == 404, body[:500]
        assert not _leaks(world, body)
        after = _writes(world)
        # Only the fixture's own attachment event may have been added.
        assert after[0] == before[0]
        assert after[1] - before[1] <= 1
    else:
        assert response.status_code == CASE_ENDPOINTS[endpoint][4][role], body[:500]


@pytest.mark.parametrize("endpoint", sorted(CASE_ENDPOINTS))
def test_anonymous_case_endpoint(world, client_as, endpoint) -> None:
    response = _call(client_as(None), world, endpoint, world.own_case)
    if CASE_ENDPOINTS[endpoint][2] == "json":
        assert response.status_code == 401
        assert response.get_json()["code"] == "unauthorized"
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    assert world.own_case.title not in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(LIST_ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_visible_units(world, client_as, role, endpoint) -> None:
    path, _kind = LIST_ENDPOINTS[endpoint]
    response = client_as(world.users[role]).get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if role in UNIT_BOUND:
        assert not _leaks(world, body)
    elif endpoint in ("api_search", "inbox_search"):
        assert world.other_case.reference in body


@pytest.mark.parametrize("endpoint", sorted(LIST_ENDPOINTS))
def test_anonymous_lists(client_as, endpoint) -> None:
    path, kind = LIST_ENDPOINTS[endpoint]
    response = client_as(None).get(path)
    assert response.status_code == (401 if kind == "json" else 302)


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", [*ROLES, None])
def test_admin_pages_only_for_admins(world, client_as, role, path) -> None:
    response = client_as(world.users[role] if role else None).get(path)
    expected = {"admin": 200, None: 302}.get(role, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_bulk_assign_cannot_touch_other_units(world, client_as, role) -> None:
    user = world.users[role]
    response = client_as(user).post(
        "/inbox/bulk",
        data={
            "cases": [world.own_case.reference_key, world.other_case.reference_key],
            "action": "assign",
            "assignee_id": "me",
        },
    )
    assert response.status_code == 302
    assert world.own_case.assignee_id == user.id
    db.session.refresh(world.other_case)
    assert world.other_case.assignee_id is None
