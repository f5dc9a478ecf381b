"""Administration pages, API tokens, and the case API's write endpoints."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from caseflow.auth.models import User
from caseflow.enums import Role
from caseflow.eservices.queries import eservice_by_slug
from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.web.models import ApiToken
from tests.factories import make_case, make_unit, make_user


def _admin():
    return make_user(Role.ADMIN, [make_unit()])


# --- administration ---------------------------------------------------------------------------


def test_admin_creates_a_user_with_role_and_units(client_as) -> None:
    unit = make_unit("SOC")
    response = client_as(_admin()).post(
        "/admin/users",
        data={
            "email": "ny@kommun.example",
            "password": "långt lösenord",
            "role": "enhetschef",
            "units": ["SOC"],
            "name": "Ny Chef",
        },
    )
    assert response.status_code == 302
    user = db.session.execute(sa.select(User).where(User.email == "ny@kommun.example")).scalar_one()
    assert user.role == "enhetschef" and user.units == [unit]


def test_invalid_user_is_422_with_field_errors(client_as) -> None:
    response = client_as(_admin()).post(
        "/admin/users", data={"email": "nej", "password": "kort", "role": "kung"}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "email" in body and "password" in body and "role" in body


def test_admin_changes_role_units_and_deactivates(client_as) -> None:
    unit = make_unit()
    user = make_user(Role.HANDLAGGARE, [])
    response = client_as(_admin()).post(
        f"/admin/users/{user.id}", data={"role": "registrator", "units": [unit.prefix]}
    )
    assert response.status_code == 302
    assert user.role == "registrator" and user.units == [unit] and user.active is False


def test_admin_creates_units_and_refuses_bad_prefixes(client_as) -> None:
    client = client_as(_admin())
    assert client.post("/admin/units", data={"name": "Miljö", "prefix": "MN"}).status_code == 302
    assert db.session.execute(sa.select(Unit).where(Unit.prefix == "MN")).scalar_one()
    bad = client.post("/admin/units", data={"name": "Fel", "prefix": "12"})
    assert bad.status_code == 422


def test_admin_creates_publishes_and_retires_an_eservice(client_as) -> None:
    unit = make_unit("PARK")
    client = client_as(_admin())
    form = {
        "fields": [
            {
                "name": "text",
                "type": "textarea",
                "required": True,
                "label_sv": "Text",
                "label_en": "Text",
            }
        ]
    }
    response = client.post(
        "/admin/eservices",
        data={
            "slug": "parkbank",
            "title_sv": "Parkbänk",
            "title_en": "Park bench",
            "unit": unit.prefix,
            "workflow_key": "arende",
            "handling_days": "5",
            "form": json.dumps(form),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    eservice = eservice_by_slug("parkbank")
    assert eservice.published_at is None
    assert client.post("/admin/eservices/parkbank/publish").status_code == 302
    assert eservice.published_at is not None
    assert client.post("/admin/eservices/parkbank/retire").status_code == 302
    assert eservice.retired_at is not None


def test_eservice_with_broken_form_json_is_422(client_as) -> None:
    response = client_as(_admin()).post(
        "/admin/eservices", data={"slug": "x-y", "title_sv": "A", "title_en": "A", "form": "{"}
    )
    assert response.status_code == 422
    assert eservice_by_slug("x-y") is None


def test_workflow_page_shows_each_diagram_and_transition_table(client_as) -> None:
    body = client_as(_admin()).get("/admin/workflows").get_data(as_text=True)
    for key in ("arende", "fraga", "felanmalan"):
        assert f"({key} v1)" in body
    assert "stateDiagram-v2" in body
    assert "<code>start_handling</code>" in body


def test_admin_creates_a_social_routing_rule(client_as) -> None:
    from caseflow.social.models import RoutingRule

    unit = make_unit("GATA")
    client = client_as(_admin())
    response = client.post(
        "/admin/routing-rules",
        data={
            "name": "Gatubelysning",
            "phrases": "trasig gatlykta\nsläckt lampa",
            "unit": unit.prefix,
            "priority": "10",
            "channel": "facebook",
        },
    )
    assert response.status_code == 302
    rule = db.session.execute(sa.select(RoutingRule)).scalar_one()
    assert rule.phrases == ["trasig gatlykta", "släckt lampa"] and rule.unit_id == unit.id
    assert "Gatubelysning" in client.get("/admin/routing-rules").get_data(as_text=True)
    bad = client.post("/admin/routing-rules", data={"phrases": "", "unit": unit.prefix})
    assert bad.status_code == 422


# --- API tokens -------------------------------------------------------------------------------


def test_token_created_on_the_page_authenticates_the_api_and_is_stored_hashed(client_as) -> None:
    unit = make_unit()
    user = make_user(Role.HANDLAGGARE, [unit])
    case = make_case(unit, title="Via token")
    page = client_as(user).post("/account/tokens", data={"name": "skript"}).get_data(as_text=True)
    secret = page.split('<code id="new-token">')[1].split("</code>")[0]
    stored = db.session.execute(sa.select(ApiToken)).scalar_one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored.prefix + stored.token_hash
    api = client_as(None)
    headers = {"Authorization": f"Bearer {secret}"}
    response = api.get("/api/v1/cases", headers=headers)
    assert response.status_code == 200
    assert [i["reference"] for i in response.get_json()["items"]] == [case.reference]
    assert api.get("/api/v1/cases", headers={"Authorization": "Bearer cf_wrong"}).status_code == 401


def test_revoked_token_no_longer_works(client_as) -> None:
    from caseflow.auth.tokens import create_token

    user = make_user(Role.HANDLAGGARE, [make_unit()])
    token, secret = create_token(user, "cron")
    assert client_as(user).post(f"/account/tokens/{token.id}/revoke").status_code == 302
    response = client_as(None).get("/api/v1/cases", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_token_cli_prints_a_working_token(app) -> None:
    user = make_user(Role.HANDLAGGARE, [make_unit()], email="cli@kommun.example")
    result = app.test_cli_runner().invoke(
        args=["caseflow", "create-token", "--email", "cli@kommun.example", "--name", "ci"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    from caseflow.auth.tokens import user_for_token

    assert user_for_token(secret) == user


# --- case API writes --------------------------------------------------------------------------


def test_api_message_public_is_a_reply_and_private_is_a_note(client_as) -> None:
    unit = make_unit()
    user = make_user(Role.HANDLAGGARE, [unit])
    case = make_case(unit, title="API")
    client = client_as(user)
    reply = client.post(
        f"/api/v1/cases/{case.reference_key}/messages", json={"body": "Hej!", "public": True}
    )
    note = client.post(f"/api/v1/cases/{case.reference_key}/messages", json={"body": "Internt"})
    assert reply.status_code == 201 and reply.get_json()["direction"] == "outbound"
    assert note.status_code == 201 and note.get_json()["direction"] == "internal"
    empty = client.post(f"/api/v1/cases/{case.reference_key}/messages", json={"body": ""})
    assert empty.status_code == 422
    assert "body" in empty.get_json()["errors"]


def test_api_assign_and_duplicate(client_as) -> None:
    unit = make_unit()
    lead = make_user(Role.ENHETSCHEF, [unit])
    worker = make_user(Role.HANDLAGGARE, [unit])
    main, dup = make_case(unit, title="Huvud"), make_case(unit, title="Dubblett")
    client = client_as(lead)
    response = client.post(
        f"/api/v1/cases/{dup.reference_key}/assign", json={"assignee_id": worker.id}
    )
    assert response.status_code == 200 and response.get_json()["assignee_id"] == worker.id
    unknown = client.post(f"/api/v1/cases/{dup.reference_key}/assign", json={"assignee_id": 99999})
    assert unknown.status_code == 422
    response = client.post(
        f"/api/v1/cases/{dup.reference_key}/duplicate-of", json={"main_reference": main.reference}
    )
    assert response.status_code == 200
    assert response.get_json()["duplicate_of"] == main.reference
    again = client.post(
        f"/api/v1/cases/{dup.reference_key}/duplicate-of", json={"main_reference": main.reference}
    )
    assert again.status_code == 409


def test_a_token_request_gets_no_session_cookie(client_as) -> None:
    """A bearer request is authenticated by its header every time: its page (CSRF token and
    all) comes without a session cookie."""
    from caseflow.auth.tokens import create_token

    user = make_user(Role.HANDLAGGARE, [make_unit()])
    _token, secret = create_token(user, "skript")
    headers = {"Authorization": f"Bearer {secret}"}
    response = client_as(None).get("/inbox?view=units", headers=headers)
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    # A browser's session still gets its cookie (test_sign_in.py: HttpOnly and SameSite).
