"""Migrations: one head, a clean upgrade, and no drift from the models."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from caseflow.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")


def _script(app: Flask) -> ScriptDirectory:
    config = app.extensions["migrate"].migrate.get_config(MIGRATIONS)
    return ScriptDirectory.from_config(config)


def test_migrations_have_exactly_one_head(app: Flask) -> None:
    assert len(_script(app).get_heads()) == 1


def test_upgraded_database_is_at_head(app: Flask) -> None:
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    assert current == _script(app).get_current_head()


def test_models_and_migrations_do_not_drift(app: Flask) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
        )
    assert diff == []


def test_upgrade_runs_on_an_empty_database(tmp_path) -> None:
    from flask_migrate import upgrade

    from caseflow import create_app

    empty = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "INSTANCE_PATH": str(tmp_path)}
    )
    with empty.app_context():
        upgrade()
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"cases", "intake_items", "users", "units", "usage_events"} <= tables
