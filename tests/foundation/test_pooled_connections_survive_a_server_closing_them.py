"""Pooled PostgreSQL connections without a ping per checkout (``caseflow.connections``): a
connection the server closed while it sat in the pool is replaced at checkout, one that sat
idle too long is pinged, and one in steady use costs no round trip."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from caseflow import connections
from caseflow.config import engine_options

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]


@pytest.fixture
def admin(database_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _engine(database_url: str, ping_after_idle: float) -> sa.Engine:
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    connections.watch(engine, ping_after_idle)
    return engine


def _pid(engine: sa.Engine, marker: str = "x") -> int:
    """The backend of the pool's connection; the marker stays its last query (autocommit: no
    ROLLBACK follows when the connection goes back to the pool)."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        return int(conn.exec_driver_sql(f"SELECT pg_backend_pid() AS {marker}").scalar_one())


def _last_query(admin: sa.Engine, pid: int) -> str:
    with admin.connect() as conn:
        return str(
            conn.execute(
                sa.text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar_one()
        )


def test_a_connection_the_server_closed_is_replaced_at_checkout(database_url, admin) -> None:
    engine = _engine(database_url, ping_after_idle=3600)
    try:
        pid = _pid(engine)
        with admin.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        for _ in range(100):  # the backend writes its goodbye and exits
            with admin.connect() as conn:
                if not conn.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": pid}
                ).scalar():
                    break
            time.sleep(0.02)
        assert _pid(engine) != pid  # no error: the pool opened a new connection
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(database_url, admin) -> None:
    engine = _engine(database_url, ping_after_idle=3600)
    try:
        pid = _pid(engine, "steady_marker")
        with engine.connect():  # checked out again at once: no round trip
            assert "steady_marker" in _last_query(admin, pid)
    finally:
        engine.dispose()


def test_a_connection_idle_longer_than_the_limit_is_pinged(database_url, admin) -> None:
    engine = _engine(database_url, ping_after_idle=0)
    try:
        pid = _pid(engine, "idle_marker")
        with engine.connect():
            assert "idle_marker" not in _last_query(admin, pid)
    finally:
        engine.dispose()


def test_postgresql_pools_drop_pre_ping_for_recycling() -> None:
    assert engine_options("postgresql+psycopg://db/caseflow") == {"pool_recycle": 1800}
    assert engine_options("mysql://db/caseflow") == {"pool_pre_ping": True}


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseflow import create_app
    from caseflow.extensions import db

    monkeypatch.setenv("CASEFLOW_DB_PREPARED_STATEMENTS", "0")
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                raw = connection.connection.driver_connection
                assert raw.prepare_threshold is None
                for _ in range(10):  # psycopg would prepare it after five runs
                    connection.execute(sa.text("SELECT 1 AS repeated"))
                prepared = connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_prepared_statements"
                ).scalar_one()
                assert prepared == 0
        finally:
            db.engine.dispose()
    monkeypatch.delenv("CASEFLOW_DB_PREPARED_STATEMENTS")
    default = create_app({"DATABASE_URL": database_url})
    with default.app_context():
        try:
            with db.engine.connect() as connection:
                assert connection.connection.driver_connection.prepare_threshold == 5
        finally:
            db.engine.dispose()
