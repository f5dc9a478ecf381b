"""RQ workers that run every job inside a fresh app context.

The default is RQ's non-forking ``SimpleWorker``: no database connection can cross a fork and
no fork is paid per job. ``--fork`` gives RQ's forking worker, whose work horse disposes the
inherited connection pool before it touches the database.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from rq import Queue, SimpleWorker, Worker
from rq.job import Job

from caseflow.extensions import db
from caseflow.jobs import QUEUES, get_redis, queue_name


def make_job_class(app: Flask) -> type[Job]:
    parent_pid = os.getpid()

    class AppJob(Job):
        def perform(self) -> Any:
            with app.app_context():
                if os.getpid() != parent_pid:
                    db.engine.dispose(close=False)  # never share a parent's connections
                return super().perform()

    return AppJob


def make_worker(app: Flask, queues: list[str] | None = None, *, fork: bool = False) -> Worker:
    names = queues or list(QUEUES)
    connection = get_redis(app)
    job_class = make_job_class(app)
    rq_queues = [
        Queue(queue_name(app, n), connection=connection, job_class=job_class) for n in names
    ]
    worker_class = Worker if fork else SimpleWorker
    return worker_class(rq_queues, connection=connection, job_class=job_class)
