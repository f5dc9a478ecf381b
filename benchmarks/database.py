"""Benchmark databases: each benchmark gets a fresh PostgreSQL database at Caseflow's head."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def create_database(url: str) -> None:
    """Drop (closing its connections) and create the database ``url`` names."""
    target = make_url(url)
    admin = sa.create_engine(
        target.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def migrate(url: str) -> None:
    """Run Caseflow's migrations on ``url``, leaving no connection open behind."""
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.extensions import db

    app = create_app({"DATABASE_URL": url, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
