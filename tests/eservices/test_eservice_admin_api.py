"""``/api/v1/eservices``: admins create, publish and retire e-services; the dates count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseflow.db import utcnow
from caseflow.eservices.queries import eservice_by_slug, published_count
from tests.factories import make_eservice, make_unit, make_user

NEW = {
    "slug": "anmal-buller",
    "title_sv": "Anmäl buller",
    "title_en": "Report noise",
    "unit": "MHF",
    "workflow_key": "arende",
    "handling_days": 15,
    "form": {
        "fields": [
            {
                "name": "beskrivning",
                "type": "textarea",
                "required": True,
                "label_sv": "Beskriv bullret",
                "label_en": "Describe the noise",
            },
            {
                "name": "tid",
                "type": "select",
                "label_sv": "När?",
                "label_en": "When?",
                "options": [{"value": "natt", "label_sv": "Natt", "label_en": "Night"}],
            },
        ]
    },
}


@pytest.fixture
def admin():
    make_unit("MHF", name="Miljö- och hälsoskydd")
    return make_user("admin")


def test_admin_creates_an_unpublished_eservice(client_as, admin) -> None:
    response = client_as(admin).post("/api/v1/eservices", json=NEW)
    assert response.status_code == 201
    data = response.get_json()
    assert (data["slug"], data["unit"], data["published_at"], data["retired_at"]) == (
        "anmal-buller",
        "MHF",
        None,
        None,
    )
    assert [f["name"] for f in data["form"]["fields"]] == ["beskrivning", "tid"]
    assert eservice_by_slug("anmal-buller") is not None


def test_publish_and_retire_are_dated_and_drive_the_published_count(client_as, admin) -> None:
    api = client_as(admin)
    api.post("/api/v1/eservices", json=NEW)
    published = api.post(
        "/api/v1/eservices/anmal-buller/publish", json={"at": "2026-02-01T08:00:00+01:00"}
    )
    assert published.status_code == 200
    assert published.get_json()["published_at"] == "2026-02-01T07:00:00+00:00"
    retired = api.post("/api/v1/eservices/anmal-buller/retire", json={"at": "2026-06-30T22:00:00Z"})
    assert retired.status_code == 200
    assert retired.get_json()["retired_at"] == "2026-06-30T22:00:00+00:00"
    before = published_count(datetime(2026, 1, 15, tzinfo=UTC))
    during = published_count(datetime(2026, 3, 1, tzinfo=UTC))
    after = published_count(datetime(2026, 7, 1, tzinfo=UTC))
    assert (during - before, during - after) == (1, 1)


def test_publish_without_a_date_means_now_and_shows_in_the_catalogue(
    client, client_as, admin
) -> None:
    api = client_as(admin)
    api.post("/api/v1/eservices", json=NEW)
    assert "Anmäl buller" not in client.get("/e-tjanster").get_data(as_text=True)
    response = api.post("/api/v1/eservices/anmal-buller/publish", json={})
    published_at = datetime.fromisoformat(response.get_json()["published_at"])
    assert abs(published_at - utcnow()) < timedelta(minutes=1)
    assert "Anmäl buller" in client.get("/e-tjanster").get_data(as_text=True)


def test_a_retired_eservice_cannot_be_published_again(client_as, admin) -> None:
    api = client_as(admin)
    api.post("/api/v1/eservices", json=NEW)
    api.post("/api/v1/eservices/anmal-buller/publish", json={})
    api.post("/api/v1/eservices/anmal-buller/retire", json={})
    response = api.post("/api/v1/eservices/anmal-buller/publish", json={})
    assert response.status_code == 409


def test_retiring_before_publishing_is_refused(client_as, admin) -> None:
    api = client_as(admin)
    api.post("/api/v1/eservices", json=NEW)
    assert api.post("/api/v1/eservices/anmal-buller/retire", json={}).status_code == 409
    api.post("/api/v1/eservices/anmal-buller/publish", json={"at": "2026-05-01T00:00:00Z"})
    early = api.post("/api/v1/eservices/anmal-buller/retire", json={"at": "2026-04-01T00:00:00Z"})
    assert early.status_code == 422
    assert "at" in early.get_json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Med Mellanslag"}, "slug"),
        ({"unit": "FINNS"}, "unit"),
        ({"workflow_key": "okand"}, "workflow_key"),
        ({"form": {"fields": []}}, "form"),
        (
            {
                "form": {
                    "fields": [{"name": "x", "type": "raket", "label_sv": "X", "label_en": "X"}]
                }
            },
            "form",
        ),
        (
            {
                "form": {
                    "fields": [{"name": "v", "type": "select", "label_sv": "V", "label_en": "V"}]
                }
            },
            "form",
        ),
        (
            {
                "form": {
                    "fields": [
                        {"name": "e", "type": "textarea", "label_sv": "E", "label_en": "E"}
                        | {"contact": "email"}
                    ]
                }
            },
            "contact",
        ),
    ],
)
def test_invalid_definitions_are_422_with_the_field_named(client_as, admin, change, field) -> None:
    response = client_as(admin).post("/api/v1/eservices", json={**NEW, **change})
    assert response.status_code == 422
    assert field in str(response.get_json()["errors"])
    assert eservice_by_slug(change.get("slug", "anmal-buller")) is None


def test_a_taken_slug_is_a_conflict(client_as, admin) -> None:
    make_eservice(slug="anmal-buller")
    response = client_as(admin).post("/api/v1/eservices", json=NEW)
    assert response.status_code == 409


@pytest.mark.parametrize("role", ["handlaggare", "registrator", "enhetschef"])
def test_staff_other_than_admins_are_forbidden(client_as, admin, role) -> None:
    api = client_as(make_user(role))
    assert api.post("/api/v1/eservices", json=NEW).status_code == 403
    assert api.get("/api/v1/eservices").status_code == 403
    assert eservice_by_slug("anmal-buller") is None


def test_anonymous_callers_are_refused(client, admin) -> None:
    assert client.post("/api/v1/eservices", json=NEW).status_code == 401
    assert client.post("/api/v1/eservices/anmal-buller/publish", json={}).status_code == 401
