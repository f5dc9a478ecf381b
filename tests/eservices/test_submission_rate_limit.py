"""Rate limiting per client on the form, the JSON API and the tracking reply (Flask-Limiter;
Redis storage when Redis is configured, so every gunicorn worker shares the counts)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from caseflow.app import create_app
from caseflow.cases.models import Case
from caseflow.config import finalise, load_settings
from caseflow.extensions import db, limiter
from tests.eservices.conftest import valid_form

API = "/api/v1/eservices/felanmalan-test/submissions"


@pytest.fixture
def limited_app(app, database_url, tmp_path) -> Iterator[Flask]:
    """An app with rate limiting on (two submissions a minute), on the session's database.

    The limiter is one module-level object that ``init_app`` reconfigures; its state is put
    back afterwards so the rest of the suite runs unlimited.
    """
    saved = dict(vars(limiter))
    limited = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "REDIS_URL": None,
            "SECRET_KEY": "test-secret",
            "JOBS_INLINE_RAISE": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SUBMISSION_RATE_LIMIT": "2 per minute",
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    try:
        with limited.app_context():
            yield limited
    finally:
        vars(limiter).clear()
        vars(limiter).update(saved)


@pytest.fixture
def limited(limited_app):
    return limited_app.test_client()


def _count(eservice) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Case).where(Case.eservice_id == eservice.id)
    ).scalar_one()


def _post(client, n: int, addr: str = "192.0.2.1"):
    return client.post(
        "/e-tjanster/felanmalan-test",
        data=valid_form(beskrivning=f"Fel nummer {n}."),
        environ_base={"REMOTE_ADDR": addr},
    )


def test_the_third_form_submission_in_a_minute_is_429(limited, eservice) -> None:
    assert [_post(limited, n).status_code for n in range(3)] == [303, 303, 429]
    assert _count(eservice) == 2


def test_the_limit_is_per_client(limited, eservice) -> None:
    for n in range(2):
        _post(limited, n, addr="192.0.2.1")
    assert _post(limited, 9, addr="192.0.2.2").status_code == 303
    assert _count(eservice) == 3


def test_the_rate_limit_page_is_swedish_and_the_api_answer_is_json(limited, eservice) -> None:
    for n in range(2):
        _post(limited, n)
    page = _post(limited, 3)
    assert page.status_code == 429
    assert page.mimetype == "text/html"
    assert '<html lang="sv">' in page.get_data(as_text=True)
    answers = [
        limited.post(
            API,
            json={"beskrivning": f"Fel {n}", "namn": "G", "epost": "g@example.se", "samtycke": 1},
            environ_base={"REMOTE_ADDR": "192.0.2.1"},
        )
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].get_json()["status"] == 429


def test_the_tracking_reply_is_limited_too(limited, eservice) -> None:
    _post(limited, 0, addr="192.0.2.9")
    case = db.session.execute(sa.select(Case)).scalars().first()
    statuses = [
        limited.post(
            f"/arende/{case.tracking_token}",
            data={"meddelande": f"Tillägg {n}"},
            environ_base={"REMOTE_ADDR": "192.0.2.9"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]


def test_counts_live_in_redis_when_redis_is_configured(
    limited, limited_app, eservice, redis_url, monkeypatch
) -> None:
    storage = storage_from_string(redis_url, key_prefix=f"cftest-{uuid.uuid4().hex[:8]}")
    monkeypatch.setattr(limiter, "_storage", storage)
    monkeypatch.setattr(limiter, "_limiter", FixedWindowRateLimiter(storage))
    try:
        assert [_post(limited, n, addr="192.0.2.77").status_code for n in range(3)] == [
            303,
            303,
            429,
        ]
    finally:
        storage.reset()


def test_redis_url_selects_redis_storage_for_the_limiter() -> None:
    config = load_settings({"CASEFLOW_REDIS_URL": "redis://cache.internal:6379/1"})
    finalise(config, "/nonexistent-instance")
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/1"
    embedded = load_settings({})
    finalise(embedded, "/nonexistent-instance")
    assert embedded["RATELIMIT_STORAGE_URI"] == "memory://"
