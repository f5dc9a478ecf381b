"""Matomo import against a local HTTP server speaking Matomo's Reporting API JSON."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from caseflow.extensions import db
from caseflow.reports import matomo
from caseflow.reports.metrics import metric_value
from caseflow.reports.models import ExternalCount

FIXTURES = Path(__file__).parent.parent / "fixtures" / "matomo"
TOKEN = "c0ffee5ecret7a11d0n0tl0gme00000"


@pytest.fixture
def matomo_server(app: Flask, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(app.config, "MATOMO_URL", httpserver.url_for("/"))
    monkeypatch.setitem(app.config, "MATOMO_SITE_ID", "3")
    monkeypatch.setitem(app.config, "MATOMO_TOKEN", TOKEN)
    return httpserver


def _answer(server: HTTPServer, fixture: str, seen: list[Request]) -> None:
    body = (FIXTURES / fixture).read_text()

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(body, content_type="application/json")

    server.expect_request("/index.php", method="POST").respond_with_handler(handler)


def _stored() -> dict[tuple[date, str], int]:
    rows = db.session.execute(
        sa.select(ExternalCount.day, ExternalCount.metric, ExternalCount.value)
    )
    return {(d, m): v for d, m, v in rows}


def test_import_stores_daily_visits_and_sends_the_token_only_in_the_body(
    matomo_server: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[Request] = []
    _answer(matomo_server, "visits_summary_day_range.json", seen)
    assert matomo.import_days(date(2026, 11, 20), date(2026, 11, 22)) == 3
    (request,) = seen
    assert request.args["method"] == "VisitsSummary.get"
    assert request.args["period"] == "day"
    assert request.args["date"] == "2026-11-20,2026-11-22"
    assert request.args["idSite"] == "3"
    assert request.form["token_auth"] == TOKEN
    assert TOKEN not in request.url and "token_auth" not in request.args
    assert TOKEN not in caplog.text
    assert _stored() == {
        (date(2026, 11, 20), "website_visits"): 1187,
        (date(2026, 11, 20), "unique_visitors"): 1021,
        (date(2026, 11, 21), "website_visits"): 731,
        (date(2026, 11, 21), "unique_visitors"): 644,
        (date(2026, 11, 22), "website_visits"): 0,  # Matomo answers [] for a day without visits
        (date(2026, 11, 22), "unique_visitors"): 0,
    }
    assert metric_value("website_visits", date(2026, 11, 20), date(2026, 11, 22)) == 1918


def test_import_is_idempotent_per_day(matomo_server: HTTPServer) -> None:
    seen: list[Request] = []
    _answer(matomo_server, "visits_summary_day_range.json", seen)
    matomo.import_days(date(2026, 11, 20), date(2026, 11, 22))
    first = _stored()
    matomo.import_days(date(2026, 11, 20), date(2026, 11, 22))
    assert _stored() == first and len(seen) == 2


def test_a_matomo_error_is_raised_without_the_token(
    matomo_server: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"result": "error", "message": f"token {TOKEN} is not valid"})
    matomo_server.expect_request("/index.php", method="POST").respond_with_data(
        body, content_type="application/json"
    )
    with pytest.raises(matomo.MatomoError) as error:
        matomo.import_days(date(2026, 11, 20), date(2026, 11, 20))
    assert TOKEN not in str(error.value) and "[token]" in str(error.value)
    assert _stored() == {}


def test_an_unreachable_matomo_fails_without_the_token(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MATOMO_URL", "http://127.0.0.1:9/")
    monkeypatch.setitem(app.config, "MATOMO_SITE_ID", "3")
    monkeypatch.setitem(app.config, "MATOMO_TOKEN", TOKEN)
    with pytest.raises(matomo.MatomoError) as error:
        matomo.import_days(date(2026, 11, 20), date(2026, 11, 20))
    assert TOKEN not in str(error.value)


def test_cli_import_reports_errors_without_the_token(app: Flask, matomo_server) -> None:
    matomo_server.expect_request("/index.php", method="POST").respond_with_data(
        (FIXTURES / "error_token.json").read_text(), content_type="application/json"
    )
    result = app.test_cli_runner().invoke(
        args=["caseflow", "matomo-import", "--from", "2026-11-20"]
    )
    assert result.exit_code != 0
    assert "requires 'view' access" in result.output and TOKEN not in result.output


def test_scheduled_import_does_nothing_when_not_configured(app: Flask) -> None:
    assert not app.config.get("MATOMO_URL")
    assert matomo.import_recent() == 0
