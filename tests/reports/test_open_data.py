"""The public open-data page and feed: public goals only, no personal data, no sign-in."""

from __future__ import annotations

import csv
import io
from datetime import date

from caseflow.extensions import db
from caseflow.reports.models import Goal
from tests.factories import make_case, make_citizen


def _goal(slug: str, public: bool) -> None:
    db.session.add(
        Goal(
            slug=slug,
            title_sv=f"Mål {slug}",
            title_en=f"Goal {slug}",
            metric="digital_case_share",
            params={},
            baseline_start=date(2025, 1, 1),
            baseline_end=date(2025, 12, 31),
            target_start=date(2026, 1, 1),
            target_end=date(2026, 12, 31),
            target_change=5.0,
            direction="increase",
            public=public,
        )
    )
    db.session.flush()


def test_feed_lists_public_goals_without_personal_data(client) -> None:
    _goal("digitalt", public=True)
    _goal("internt", public=False)
    citizen = make_citizen(email="anna.andersson@example.se", phone="070-111 22 33")
    make_case(citizen=citizen, title="Hål i vägen")
    body = client.get("/api/v1/open-data/goals")
    assert body.status_code == 200
    assert [g["slug"] for g in body.get_json()["items"]] == ["digitalt"]
    csv_body = client.get("/api/v1/open-data/goals?format=csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert [r["slug"] for r in rows] == ["digitalt"]
    page = client.get("/oppna-data").get_data(as_text=True)
    assert "Mål digitalt" in page and "Mål internt" not in page
    for text in (body.get_data(as_text=True), csv_body, page):
        assert "anna.andersson" not in text and "070-111" not in text and "Hål i vägen" not in text


def test_open_data_page_links_the_feed_and_sets_no_cookie(client) -> None:
    response = client.get("/oppna-data")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert "/api/v1/open-data/goals?format=csv" in html
    assert '<html lang="sv"' in html


def test_open_data_in_english(client) -> None:
    _goal("digitalt", public=True)
    html = client.get("/oppna-data?lang=en").get_data(as_text=True)
    assert "Goal digitalt" in html
    assert "Download" in html and "Target" in html and "Ladda ner" not in html
