"""With no configuration at all the app runs on SQLite in its instance folder, jobs inline."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade

from caseflow import create_app, jobs
from caseflow.extensions import db

RAN: list[int] = []


def remember(value: int) -> None:
    RAN.append(value)


@pytest.mark.real_commits
def test_create_app_without_environment_serves_health_and_runs_jobs_inline(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in list(os.environ):
        if key.startswith("CASEFLOW_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("CASEFLOW_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'caseflow.sqlite3'}"
    assert app.config["REDIS_URL"] is None
    with app.app_context():
        upgrade()
        response = app.test_client().get("/healthz")
        assert response.status_code == 200
        assert response.json == {
            "database": "ok",
            "redis": "disabled",
            "jobs": "inline",
            "status": "ok",
        }
        jobs.enqueue(remember, 7)
        db.session.commit()
        db.engine.dispose()
    assert RAN == [7]


def test_production_refuses_the_default_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("CASEFLOW_ENV", "production")
    monkeypatch.delenv("CASEFLOW_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CASEFLOW_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_settings_come_from_caseflow_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CASEFLOW_BASE_URL", "https://e.kommun.se")
    monkeypatch.setenv("CASEFLOW_SWEEP_AFTER_SECONDS", "120")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["BASE_URL"] == "https://e.kommun.se"
    assert app.config["SWEEP_AFTER_SECONDS"] == 120
    assert app.config["TIMEZONE"] == "Europe/Stockholm"


@pytest.mark.real_commits  # its own app and engine, not the shared test transaction
def test_health_is_503_when_the_database_is_down(tmp_path) -> None:
    app = create_app(
        {"DATABASE_URL": "sqlite:////nonexistent-dir/for/sure/x.db", "INSTANCE_PATH": str(tmp_path)}
    )
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_health_reports_redis(rq_mode, client) -> None:
    assert client.get("/healthz").json["redis"] == "ok"
