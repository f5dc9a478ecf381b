"""The per-process cache of published e-services: no SELECT per submission, and publish or
retire in this process takes effect at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.eservices.queries import invalidate_eservice_cache
from caseflow.extensions import db
from tests.eservices.test_json_submissions import URL, body
from tests.factories import make_user


@pytest.fixture
def cached(app, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "ESERVICE_CACHE_SECONDS", 60)
    with app.app_context():
        invalidate_eservice_cache()
    yield
    with app.app_context():
        invalidate_eservice_cache()


@pytest.fixture
def eservice_selects(app) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        # The lookup by slug (the inline receipt job loads its case's e-service by id).
        if statement.lstrip().upper().startswith("SELECT") and "eservices.slug = " in statement:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", count)


def test_second_submission_reads_the_eservice_from_the_cache(
    client, eservice, cached, eservice_selects
) -> None:
    first = client.post(URL, json=body(beskrivning="Första lyktan är trasig."))
    assert first.status_code == 201, first.get_json()
    assert len(eservice_selects) == 1
    second = client.post(URL, json=body(beskrivning="Andra lyktan är trasig."))
    assert second.status_code == 201, second.get_json()
    assert len(eservice_selects) == 1
    cases = db.session.execute(sa.select(Case).where(Case.eservice_id == eservice.id)).scalars()
    assert {c.unit.name for c in cases} == {"Gatukontoret"}
    assert first.get_json()["reference"] != second.get_json()["reference"]


def test_retiring_takes_effect_at_once_despite_the_cache(
    client, client_as, eservice, cached
) -> None:
    assert client.post(URL, json=body(beskrivning="Före avpubliceringen.")).status_code == 201
    retired = client_as(make_user("admin")).post(
        "/api/v1/eservices/felanmalan-test/retire", json={}
    )
    assert retired.status_code == 200, retired.get_json()
    assert client.post(URL, json=body(beskrivning="Efter avpubliceringen.")).status_code == 404


def test_a_cached_eservice_is_checked_against_its_dates_on_every_call(
    app, client, eservice, cached
) -> None:
    assert client.post(URL, json=body(beskrivning="Medan den är publicerad.")).status_code == 201
    # Retirement dated a second from now: the cached row carries the date, and the check is
    # made per call, so the service closes on time without a new read.
    eservice.retired_at = utcnow() + timedelta(seconds=1)
    db.session.flush()
    with app.app_context():
        invalidate_eservice_cache()
    assert client.post(URL, json=body(beskrivning="Innan den stänger.")).status_code == 201
    time.sleep(1.1)
    assert client.post(URL, json=body(beskrivning="Efter avpubliceringen.")).status_code == 404
