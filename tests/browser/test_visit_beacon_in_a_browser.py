"""The beacon from a real page on another origin: Chromium's sendBeacon and the image pixel
count once per visitor, set no cookie, and a page on an unlisted origin counts nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug import Response
from werkzeug.serving import make_server

from caseflow.extensions import db
from caseflow.usage.models import UsageEvent

CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


@pytest.fixture
def municipal_site(live_server: str) -> Iterator[str]:
    """The municipality's own website on another origin, embedding the beacon and the pixel."""
    html = f"""<!doctype html><html lang="sv"><head><title>Kommunen</title></head><body>
    <p>Välkommen</p><img src="{live_server}/api/v1/visits/pixel.gif" alt="">
    <script>navigator.sendBeacon("{live_server}/api/v1/visits", "");
    document.title = "skickat";</script></body></html>"""

    def app(environ, start_response):
        return Response(html, mimetype="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(UsageEvent.kind, sa.func.count())
            .where(UsageEvent.kind.in_(["page_view", "site_visit"]))
            .group_by(UsageEvent.kind)
        ).all()
        db.session.remove()
    return dict(rows)


def _visit(browser, url: str) -> list[dict]:
    context = browser.new_context(user_agent=CHROME_UA)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.title === 'skickat'")
    page.wait_for_load_state("networkidle")
    cookies = context.cookies()
    context.close()
    return cookies


def test_beacon_and_pixel_from_an_allowed_origin(
    live_app: Flask, municipal_site: str, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(live_app.config, "VISIT_ORIGINS", municipal_site)
    before = _counts(live_app)
    cookies = _visit(browser, municipal_site)
    cookies += _visit(browser, municipal_site)  # same visitor, same day
    after = _counts(live_app)
    assert after.get("page_view", 0) - before.get("page_view", 0) == 4  # beacon + pixel, twice
    assert after.get("site_visit", 0) - before.get("site_visit", 0) == 1
    assert cookies == []


def test_an_unlisted_origin_counts_nothing(
    live_app: Flask, municipal_site: str, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(live_app.config, "VISIT_ORIGINS", "https://www.kommun.example")
    before = _counts(live_app)
    _visit(browser, municipal_site)
    assert _counts(live_app) == before
