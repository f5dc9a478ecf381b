"""The job seam: after commit only, inline without Redis, once through a real RQ worker."""

from __future__ import annotations

import pytest
from flask import Flask

from caseflow import jobs
from caseflow.extensions import db
from caseflow.units.services import create_unit

CALLS: list[str] = []


def record_call(tag: str) -> None:
    """A job that leaves a trace; jobs take primitives only."""
    CALLS.append(tag)


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_inline_job_runs_only_after_commit() -> None:
    jobs.enqueue(record_call, "inline")
    assert CALLS == []
    db.session.commit()
    assert CALLS == ["inline"]


def test_job_enqueued_in_a_rolled_back_transaction_never_runs() -> None:
    create_unit(name="Tillfällig", prefix="TMPA")
    jobs.enqueue(record_call, "rolled-back")
    db.session.rollback()
    db.session.commit()
    assert CALLS == []


def test_rq_job_runs_once_in_a_simple_worker(rq_mode: Flask, run_worker) -> None:
    jobs.enqueue(record_call, "rq", job_id="seam-test-1")
    jobs.enqueue(record_call, "rq", job_id="seam-test-1")  # same id: no second job
    db.session.commit()
    assert CALLS == []
    assert jobs.get_queue("default").count == 1
    run_worker()
    assert CALLS == ["rq"]


def test_job_ids_are_private_to_their_queue_prefix(
    rq_mode: Flask, run_worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two deployments sharing one Redis may use the same deterministic id without clashing."""
    jobs.enqueue(record_call, "first", job_id="seam-shared-1")
    db.session.commit()
    other_prefix = rq_mode.config["QUEUE_PREFIX"] + "-other"
    monkeypatch.setitem(rq_mode.config, "QUEUE_PREFIX", other_prefix)
    jobs.enqueue(record_call, "second", job_id="seam-shared-1")
    db.session.commit()
    assert jobs.get_queue("default").count == 1
    run_worker()
    assert CALLS == ["second"]


def test_rq_rolled_back_job_is_never_enqueued(rq_mode: Flask, run_worker) -> None:
    jobs.enqueue(record_call, "never")
    db.session.rollback()
    assert jobs.get_queue("default").count == 0
    run_worker()
    assert CALLS == []


def test_unknown_queue_is_refused() -> None:
    with pytest.raises(ValueError):
        jobs.enqueue(record_call, "x", queue="nope")
