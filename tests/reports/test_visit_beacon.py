"""The visit beacon: no cookie, no IP stored, bots ignored, a visitor counted once a day."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports.periods import today
from caseflow.reports.rollup import purge_visitor_digests
from caseflow.usage import visits
from caseflow.usage.models import UsageEvent, VisitorDigest, VisitSalt

ORIGIN = "https://www.kommun.example"
IP = "203.0.113.77"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"


@pytest.fixture(autouse=True)
def _origins(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "VISIT_ORIGINS", f"{ORIGIN}, https://e.kommun.example")


def _hit(client, *, ip: str = IP, ua: str | None = BROWSER, origin: str | None = ORIGIN):
    headers = {}
    if ua is not None:
        headers["User-Agent"] = ua
    if origin is not None:
        headers["Origin"] = origin
    return client.post(
        "/api/v1/visits",
        data='{"path": "/"}',
        content_type="text/plain",
        headers=headers,
        environ_base={"REMOTE_ADDR": ip},
    )


def _count(kind: str) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(UsageEvent).where(UsageEvent.kind == kind)
    ).scalar_one()


def test_beacon_sets_no_cookie_and_allows_its_origin(client) -> None:
    response = _hit(client)
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    pixel = client.get(
        "/api/v1/visits/pixel.gif",
        headers={"User-Agent": BROWSER, "Referer": ORIGIN + "/start"},
    )
    assert pixel.mimetype == "image/gif" and "Set-Cookie" not in pixel.headers
    assert _count("page_view") == 2


def test_no_ip_address_is_stored_or_logged(client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _hit(client)
    assert _count("site_visit") == 1
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            assert all(IP not in str(value) for value in row), table.name
    assert IP not in caplog.text


def test_a_visitor_counts_once_a_day(client) -> None:
    for _ in range(3):
        _hit(client)
    _hit(client, ua=BROWSER + " Edg/126.0")  # another browser on the same address
    _hit(client, ip="198.51.100.9")
    assert _count("page_view") == 5
    assert _count("site_visit") == 3


def test_the_next_day_a_new_salt_counts_the_visitor_again(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hit(client)
    first_salt = db.session.execute(sa.select(VisitSalt.salt)).scalar_one()
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(visits, "utcnow", lambda: tomorrow)
    _hit(client)
    _hit(client)
    assert _count("site_visit") == 2
    salts = db.session.execute(sa.select(VisitSalt.salt)).scalars().all()
    assert len(salts) == 2 and first_salt in salts
    # The rollup forgets past days' salts and hashes.
    purge_visitor_digests(today() + timedelta(days=1))
    assert db.session.execute(sa.select(VisitSalt.salt)).scalars().all() != [first_salt]
    assert first_salt not in db.session.execute(sa.select(VisitSalt.salt)).scalars().all()
    remaining = db.session.execute(sa.select(VisitorDigest.day)).scalars().all()
    assert set(remaining) == {today() + timedelta(days=1)}


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0",
    ],
)
def test_bots_are_not_counted(client, ua: str | None) -> None:
    assert _hit(client, ua=ua).status_code == 204
    assert _count("page_view") == 0 and _count("site_visit") == 0


def test_other_origins_may_not_count(client) -> None:
    response = _hit(client, origin="https://evil.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert _hit(client, origin=None).status_code == 403
    client.get(
        "/api/v1/visits/pixel.gif", headers={"User-Agent": BROWSER, "Referer": "https://x.example/"}
    )
    assert _count("page_view") == 0


def test_preflight_answers_only_allowed_origins(client) -> None:
    ok = client.options("/api/v1/visits", headers={"Origin": ORIGIN})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    assert (
        client.options("/api/v1/visits", headers={"Origin": "https://evil.example"}).status_code
        == 403
    )


@pytest.mark.real_commits
def test_beacon_is_rate_limited(tmp_path) -> None:
    """A separate app with limits on (the suite's app runs without them); the shared limiter
    is switched back afterwards."""
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.extensions import limiter

    was_enabled = limiter.enabled
    try:
        limited = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'rl.db'}",
                "INSTANCE_PATH": str(tmp_path),
                "VISIT_ORIGINS": ORIGIN,
                "VISIT_RATE_LIMIT": "3 per minute",
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        with limited.app_context():
            upgrade()
            client = limited.test_client()
            statuses = [_hit(client).status_code for _ in range(5)]
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.enabled = was_enabled
    assert statuses == [204, 204, 204, 429, 429]
