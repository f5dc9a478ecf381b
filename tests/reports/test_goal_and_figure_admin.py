"""Admins add goals and historical figures (JSON or CSV); nothing half-written on errors."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.reports.models import Goal, HistoricalFigure

GOAL = {
    "slug": "fler-besok",
    "title_sv": "Fler besök",
    "title_en": "More visits",
    "metric": "website_visits",
    "baseline_start": "2010-01-01",
    "baseline_end": "2010-12-31",
    "target_start": "2011-01-01",
    "target_end": "2011-12-31",
    "target_change": 20,
}


def _figures() -> list[tuple]:
    return list(
        db.session.execute(
            sa.select(
                HistoricalFigure.metric, HistoricalFigure.period_start, HistoricalFigure.value
            )
        )
    )


def test_admin_adds_a_goal_and_sees_it_in_the_report(staff, client_as) -> None:
    client = client_as(staff.admin)
    response = client.post("/api/v1/goals", json=GOAL)
    assert response.status_code == 201, response.get_json()
    client.post(
        "/api/v1/reports/figures",
        json={
            "metric": "website_visits",
            "period_start": "2010-01-01",
            "period_end": "2010-12-31",
            "value": 1_000_000,
            "note": "Uppsala 2010",
        },
    )
    item = client.get("/api/v1/reports/goals").get_json()["items"][0]
    assert (item["slug"], item["baseline"], item["target_value"]) == (
        "fler-besok",
        1_000_000,
        1_200_000,
    )


def test_goal_errors_are_per_field_and_nothing_is_written(staff, client_as) -> None:
    bad = {
        **GOAL,
        "metric": "likes",
        "target_start": "2010-06-01",
        "direction": "sideways",
        "slug": "Ä ä",
    }
    response = client_as(staff.admin).post("/api/v1/goals", json=bad)
    assert response.status_code == 422
    assert {"metric", "direction", "slug"} <= set(response.get_json()["errors"])
    assert db.session.execute(sa.select(Goal.id)).first() is None


def test_target_period_must_follow_the_baseline_and_change_match_direction(
    staff, client_as
) -> None:
    client = client_as(staff.admin)
    overlap = client.post("/api/v1/goals", json={**GOAL, "target_start": "2010-12-31"})
    assert "target_start" in overlap.get_json()["errors"]
    contradiction = client.post("/api/v1/goals", json={**GOAL, "target_change": -5})
    assert "target_change" in contradiction.get_json()["errors"]


def test_duplicate_slug_is_409(staff, client_as) -> None:
    client = client_as(staff.admin)
    assert client.post("/api/v1/goals", json=GOAL).status_code == 201
    assert client.post("/api/v1/goals", json=GOAL).status_code == 409


def test_only_admins_add_goals(staff, client_as) -> None:
    assert client_as(staff.enhetschef).post("/api/v1/goals", json=GOAL).status_code == 403
    assert client_as(staff.enhetschef).post("/api/v1/reports/figures", json={}).status_code == 403


def test_csv_import_of_historical_figures(staff, client_as) -> None:
    body = (
        "metric,period_start,period_end,value,note\n"
        "website_visits,2010-01-01,2010-12-31,1000000,Uppsala 2010\n"
        "published_eservices,2010-12-31,2010-12-31,50,\n"
    )
    response = client_as(staff.admin).post(
        "/api/v1/reports/figures", data=body.encode(), content_type="text/csv"
    )
    assert response.status_code == 201, response.get_json()
    assert sorted(_figures()) == [
        ("published_eservices", __import__("datetime").date(2010, 12, 31), 50.0),
        ("website_visits", __import__("datetime").date(2010, 1, 1), 1_000_000.0),
    ]


def test_csv_import_with_an_error_writes_nothing(staff, client_as) -> None:
    body = (
        "metric,period_start,period_end,value\n"
        "website_visits,2010-01-01,2010-12-31,1000000\n"
        "website_visits,2011-01-01,2010-12-31,-4\n"
        "unknown,2010-01-01,2010-12-31,3\n"
    )
    response = client_as(staff.admin).post(
        "/api/v1/reports/figures",
        data={"file": (__import__("io").BytesIO(body.encode()), "figures.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"line 3", "line 4"}
    assert "value" in errors["line 3"] and "metric" in errors["line 4"]
    assert _figures() == []


def test_csv_without_the_columns_is_422(staff, client_as) -> None:
    response = client_as(staff.admin).post(
        "/api/v1/reports/figures", data=b"a,b\n1,2\n", content_type="text/csv"
    )
    assert response.status_code == 422
