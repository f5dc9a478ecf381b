"""Shared fixtures: one migrated database per test session, one rolled-back transaction per test.

Backends: SQLite by default; PostgreSQL when ``CASEFLOW_TEST_DATABASE_URL`` is set (a fresh
database is created on that server per session, so parallel runs never collide). Redis-backed
tests use ``CASEFLOW_TEST_REDIS_URL``. With ``CASEFLOW_REQUIRE_SERVICES=1`` a missing service is
an error, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from caseflow import create_app
from caseflow.db import CaseflowSession
from caseflow.extensions import db

REQUIRE_SERVICES = os.environ.get("CASEFLOW_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("CASEFLOW_TEST_REDIS_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres" in item.keywords and not PG_URL:
            # `make test` deselects these in its SQLite pass and runs them in its PostgreSQL pass.
            item.add_marker(pytest.mark.skip(reason="needs CASEFLOW_TEST_DATABASE_URL"))


def _pg_admin_url(url: str) -> sa.URL:
    return make_url(url).set(drivername="postgresql+psycopg", database="postgres")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        return
    name = f"caseflow_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(_pg_admin_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield (
        make_url(PG_URL)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "REDIS_URL": None,
            "SECRET_KEY": "test-secret",
            "JOBS_INLINE_RAISE": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SWEEP_AFTER_SECONDS": 0,
            "QUEUE_PREFIX": f"cftest-{uuid.uuid4().hex[:8]}",
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            # Tests roll back their e-services; the cache has tests of its own (issue 4).
            "ESERVICE_CACHE_SECONDS": 0,
        }
    )
    with application.app_context():
        upgrade()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@contextmanager
def rolled_back_transaction(app: Flask) -> Iterator[None]:
    """Bind ``db.session`` to one outer transaction that is rolled back on exit.

    Services and views may commit as often as they like: with ``create_savepoint`` a commit
    only releases a savepoint, and the outer rollback discards everything.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": CaseflowSession,
            }
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest, app: Flask) -> Iterator[None]:
    """Every test runs in a rolled-back transaction; ``real_commits`` tests opt out."""
    if "real_commits" in request.keywords:
        with app.app_context():
            yield
        return
    with rolled_back_transaction(app):
        yield


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def client_as(app: Flask):
    """``client_as(user)``: a test client signed in as ``user`` (Flask-Login's test client)."""
    from flask_login import FlaskLoginClient

    class _PerUserClient(FlaskLoginClient):
        """Tests run inside one app context, which every request reuses, so Flask-Login's
        per-request cache (``g._login_user``) would keep the first client's user, and
        Flask-Babel's (``g._flask_babel``) the first request's language. Each request of this
        client drops both, so the session cookie and the request decide."""

        def open(self, *args, **kwargs):
            from flask import g, has_app_context

            if has_app_context():
                g.pop("_login_user", None)
                g.pop("_flask_babel", None)
            return super().open(*args, **kwargs)

    def _make(user):
        app.test_client_class = _PerUserClient
        try:
            return app.test_client(user=user)
        finally:
            app.test_client_class = None

    return _make


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("CASEFLOW_TEST_REDIS_URL is required (CASEFLOW_REQUIRE_SERVICES=1)")
        pytest.skip("needs CASEFLOW_TEST_REDIS_URL")
    return REDIS_URL


@pytest.fixture
def rq_mode(app: Flask, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """Switch the app to RQ on a real Redis, with queue names private to this test."""
    from redis import Redis

    prefix = f"cftest-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "QUEUE_PREFIX", prefix)
    app.extensions.pop("caseflow_redis", None)
    yield app
    app.extensions.pop("caseflow_redis", None)
    client = Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    # Job hashes are keyed by job id only (``rq:job:deliver-3``): drop this test's, or a
    # retry it left scheduled makes a later run's job with the same id look active.
    for key in client.scan_iter("rq:job:*"):
        origin = client.hget(key, "origin")
        if origin and origin.decode().startswith(prefix):
            client.delete(key)


@pytest.fixture
def run_worker(app: Flask):
    """Drain the test's queues with a real ``rq.SimpleWorker`` in burst mode."""
    from caseflow.worker import make_worker

    def _run() -> None:
        make_worker(app).work(burst=True)

    return _run


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """A real SMTP server (aiosmtpd on localhost) the app sends to; yields its ``Inbox``."""
    from aiosmtpd.controller import Controller

    from tests.smtp import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
    monkeypatch.setitem(app.config, "SMTP_FROM", "e-tjanster@kommun.example")
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def redis_outage(rq_mode: Flask, redis_url: str):
    """``with redis_outage():`` Redis is unreachable (a closed port) inside the block."""

    @contextmanager
    def _outage() -> Iterator[None]:
        rq_mode.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
        rq_mode.extensions.pop("caseflow_redis", None)
        try:
            yield
        finally:
            rq_mode.config["REDIS_URL"] = redis_url
            rq_mode.extensions.pop("caseflow_redis", None)

    return _outage
