"""The rollup and Matomo import are periodic jobs; the rollup runs in a real RQ worker."""

from __future__ import annotations

from flask import Flask

from caseflow import jobs
from caseflow.extensions import db
from caseflow.reports.models import RollupRun
from caseflow.usage.kinds import SOCIAL_INBOUND
from tests.reports.conftest import add_events, days_ago, local


def test_rollup_and_matomo_import_are_registered_as_periodic(app: Flask) -> None:
    periodic = jobs.periodic_jobs(app)
    assert periodic["rollup"].func == "caseflow.reports.rollup.run_rollups"
    assert periodic["matomo-import"].func == "caseflow.reports.matomo.import_recent"
    assert {periodic["rollup"].queue, periodic["matomo-import"].queue} == {"reports"}


def test_rollup_job_runs_in_an_rq_worker(rq_mode: Flask, run_worker) -> None:
    add_events(SOCIAL_INBOUND, local(days_ago(3)), 2, channel="x")
    jobs.enqueue("caseflow.reports.rollup.run_rollups", queue="reports", job_id="rollup-test")
    db.session.commit()
    assert jobs.get_queue("reports").count == 1
    run_worker()
    assert db.session.get(RollupRun, days_ago(3)).events == 2
    assert db.session.get(RollupRun, days_ago(1)) is not None
