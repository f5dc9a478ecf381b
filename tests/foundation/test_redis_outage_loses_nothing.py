"""Redis away: registration still succeeds; the sweeper and a worker finish the job once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.extensions import db
from intake.models import IntakeItem, IntakeStatus
from intake.processors import register_processor
from intake.services import receive
from intake.tasks import sweep_unprocessed

PROCESSED: list[int] = []


@pytest.fixture
def counting_channel(app: Flask):
    def count(item: IntakeItem) -> None:
        PROCESSED.append(item.id)

    register_processor(app, "testkanal", count)
    PROCESSED.clear()
    yield
    app.extensions["intake_processors"].pop("testkanal", None)


def test_registration_survives_redis_outage_and_sweeper_recovers(
    rq_mode: Flask, redis_url: str, run_worker, counting_channel, monkeypatch, caplog
) -> None:
    monkeypatch.setitem(rq_mode.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # closed port
    rq_mode.extensions.pop("caseflow_redis", None)
    with rq_mode.test_request_context("/webhooks/test", method="POST"):
        item, created = receive("testkanal", "msg-1", b'{"text": "Hej"}')
        db.session.commit()  # must not raise although Redis is unreachable
    assert created
    assert "enqueue failed" in caplog.text
    assert db.session.get(IntakeItem, item.id).status == IntakeStatus.RECEIVED

    monkeypatch.setitem(rq_mode.config, "REDIS_URL", redis_url)  # Redis is back
    rq_mode.extensions.pop("caseflow_redis", None)
    assert sweep_unprocessed() == 1
    assert sweep_unprocessed() == 1  # still queued: the deterministic job id keeps it single
    db.session.commit()
    run_worker()
    assert [item.id] == PROCESSED

    assert sweep_unprocessed() == 0
    db.session.commit()
    run_worker()
    assert [item.id] == PROCESSED
    status = db.session.execute(
        sa.select(IntakeItem.status).where(IntakeItem.id == item.id)
    ).scalar_one()
    assert status == IntakeStatus.PROCESSED


def test_duplicate_delivery_registers_once(counting_channel) -> None:
    first, created_first = receive("testkanal", "dup-1", b"{}")
    again, created_again = receive("testkanal", "dup-1", b"{}")
    db.session.commit()
    assert (created_first, created_again) == (True, False)
    assert first.id == again.id
    assert [first.id] == PROCESSED
