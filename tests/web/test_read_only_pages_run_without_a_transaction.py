"""Read-only pages on PostgreSQL (``caseflow.read_only``): the inbox and the API's case list
run their statements without BEGIN/ROLLBACK, and a read-only request cannot write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from caseflow.auth.models import User, user_units
from caseflow.auth.tokens import create_token
from caseflow.db import CaseflowSession
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.read_only import ReadOnlyViolation, begin_read_only
from caseflow.units.models import Unit
from caseflow.web.models import ApiToken
from tests.factories import make_unit, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.real_commits]


@pytest.fixture
def secret() -> Iterator[str]:
    """A committed caseworker with a token; deleted afterwards."""
    unit = make_unit()
    user = make_user(Role.HANDLAGGARE, [unit])
    _token, plain = create_token(user, "read-only")
    ids = (unit.id, user.id)
    db.session.commit()
    db.session.remove()  # each request starts with a fresh session, as under gunicorn
    yield plain
    db.session.rollback()
    for stmt in (
        sa.delete(ApiToken).where(ApiToken.user_id == ids[1]),
        sa.delete(user_units).where(user_units.c.user_id == ids[1]),
        sa.delete(User).where(User.id == ids[1]),
        sa.delete(Unit).where(Unit.id == ids[0]),
    ):
        db.session.execute(stmt)
    db.session.commit()
    db.session.remove()


@pytest.mark.parametrize("url", ["/inbox?view=units", "/api/v1/cases?view=units"])
def test_a_read_only_page_sends_no_begin(app, client, secret, url) -> None:
    """Before every statement the connection is idle in autocommit: no transaction was begun
    (with one, the second statement would find it open)."""
    seen: list[tuple[Any, Any]] = []

    def record(conn: sa.Connection, *_args: Any) -> None:
        raw = conn.connection.dbapi_connection
        seen.append((raw.autocommit, raw.info.transaction_status))

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    assert len(seen) >= 2
    assert seen == [(True, TransactionStatus.IDLE)] * len(seen)


def test_a_read_only_session_refuses_to_write(app) -> None:
    session = CaseflowSession(db, bind=db.engine)
    try:
        assert begin_read_only(session)
        session.add(Unit(name="Skrivskyddad", prefix="RO"))
        with pytest.raises(ReadOnlyViolation):
            session.flush()
        session.rollback()
        assert begin_read_only(session)
        with pytest.raises(ReadOnlyViolation):
            session.execute(sa.update(Unit).where(Unit.prefix == "RO").values(name="x"))
    finally:
        session.close()
    assert not db.session.execute(sa.select(Unit).where(Unit.prefix == "RO")).first()


def test_other_sessions_keep_their_transaction(app) -> None:
    session = CaseflowSession(db, bind=db.engine)
    try:
        session.execute(sa.text("SELECT 1"))
        assert not begin_read_only(session)  # already begun: left as it is
        raw = session.connection().connection.dbapi_connection
        assert raw.info.transaction_status == TransactionStatus.INTRANS
    finally:
        session.close()
