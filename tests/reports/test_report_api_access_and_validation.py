"""Who may read reports, and bad queries answered 422 with per-field messages."""

from __future__ import annotations

import pytest

ENDPOINTS = [
    "/api/v1/reports/goals",
    "/api/v1/reports/usage?metric=form_submitted",
    "/api/v1/reports/cases",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_gets_401(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


@pytest.mark.parametrize("path", [*ENDPOINTS, "/rapporter"])
@pytest.mark.parametrize("role", ["handlaggare", "registrator"])
def test_caseworkers_and_registrars_get_403(staff, client_as, path: str, role: str) -> None:
    assert client_as(getattr(staff, role)).get(path).status_code == 403


@pytest.mark.parametrize("path", [*ENDPOINTS, "/rapporter"])
@pytest.mark.parametrize("role", ["enhetschef", "admin"])
def test_unit_leads_and_admins_may_read(staff, client_as, path: str, role: str) -> None:
    assert client_as(getattr(staff, role)).get(path).status_code == 200


def test_dashboard_redirects_anonymous_browsers(client) -> None:
    response = client.get("/rapporter", headers={"Accept": "text/html"})
    assert response.status_code in (302, 401)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("metric=nope", "metric"),
        ("", "metric"),
        ("metric=form_submitted&group=fortnight", "group"),
        ("metric=form_submitted&by=citizen", "by"),
        ("metric=form_submitted&from=2026-13-01", "from"),
        ("metric=form_submitted&from=2026-05-01&to=2026-04-01", "to"),
        ("metric=form_submitted&from=2000-01-01&to=2026-01-01", "to"),
    ],
)
def test_bad_usage_queries_are_422_per_field(staff, client_as, query: str, field: str) -> None:
    response = client_as(staff.admin).get(f"/api/v1/reports/usage?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_failed" and field in body["errors"]


def test_cases_report_rejects_unknown_dimension(staff, client_as) -> None:
    response = client_as(staff.admin).get("/api/v1/reports/cases?by=personnummer")
    assert response.status_code == 422 and "by" in response.get_json()["errors"]


def test_csv_by_query_parameter_or_accept_header(staff, client_as) -> None:
    client = client_as(staff.admin)
    by_param = client.get("/api/v1/reports/goals?format=csv")
    by_header = client.get("/api/v1/reports/goals", headers={"Accept": "text/csv"})
    for response in (by_param, by_header):
        assert response.mimetype == "text/csv"
        assert response.get_data(as_text=True).startswith("slug,title_sv,")
    assert client.get("/api/v1/reports/goals").mimetype == "application/json"
