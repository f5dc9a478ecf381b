"""The only way to run background work: enqueue after commit, by id, on named queues.

With ``REDIS_URL`` set, jobs go to RQ queues (``<prefix>-<name>``) with deterministic ids so a
re-enqueue of queued work is a no-op. Without it (the embedded default) the same job functions
run inline right after the transaction commits. Either way a transaction that rolls back never
triggers its jobs, and a Redis outage never fails the request whose data is already committed:
the sweepers pick that work up later.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from caseflow.extensions import db

log = logging.getLogger(__name__)

QUEUES = ("intake", "default", "outbound", "reports")
ACTIVE_STATUSES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}

JobFunc = Callable[..., Any]


@dataclass(frozen=True)
class JobSpec:
    func: str
    args: tuple[Any, ...]
    queue: str
    job_id: str | None
    network: bool
    timeout: int
    delay: timedelta | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    new_id: bool = False


def func_path(func: str | JobFunc) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def resolve(path: str) -> JobFunc:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def enqueue(
    func: str | JobFunc,
    *args: Any,
    queue: str = "default",
    job_id: str | None = None,
    network: bool = False,
    timeout: int = 60,
    delay: timedelta | None = None,
    new_id: bool = False,
) -> None:
    """Schedule ``func(*args)`` to run once the current transaction commits.

    ``args`` must be ids and primitives: the job reloads what it needs. ``network=True`` adds
    RQ retries with back-off for work that talks to other systems. ``new_id=True`` says the
    job id cannot have been used before (it names a row this transaction inserted), which
    saves the Redis look-up for an earlier job with that id.
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    spec = JobSpec(func_path(func), args, queue, job_id, network, timeout, delay, new_id=new_id)
    db.session().after_commit(lambda: dispatch(spec))


def dispatch(spec: JobSpec) -> None:
    """Send a job to RQ, or run it inline when no Redis is configured."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        _enqueue_rq(app, spec)
    else:
        run_inline(app, spec)


def queue_name(app: Flask, name: str) -> str:
    return f"{app.config['QUEUE_PREFIX']}-{name}"


def get_redis(app: Flask | None = None) -> Redis:
    """One client per app; short timeouts so an outage cannot hold a request for long."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.extensions.get("caseflow_redis")
    if client is None:
        client = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=5)
        app.extensions["caseflow_redis"] = client
    return client


def get_queue(name: str, app: Flask | None = None) -> Queue:
    """The app's RQ queue ``name``, kept while its name and Redis client stay the same (a
    ``Queue`` holds no per-call state, and building one per job costs CPU)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    full_name, connection = queue_name(app, name), get_redis(app)
    queues: dict[str, Queue] = app.extensions.setdefault("caseflow_queues", {})
    queue = queues.get(full_name)
    if queue is None or queue.connection is not connection:
        queue = queues[full_name] = Queue(full_name, connection=connection)
    return queue


def _retry(app: Flask) -> Retry:
    setting = str(app.config["JOB_RETRY_INTERVALS"])
    cached = app.extensions.get("caseflow_retry")
    if cached is None or cached[0] != setting:
        intervals = [int(x) for x in setting.split(",") if x]
        cached = app.extensions["caseflow_retry"] = (setting, Retry(len(intervals), intervals))
    return cached[1]  # type: ignore[no-any-return]


def _enqueue_rq(app: Flask, spec: JobSpec) -> None:
    try:
        queue = get_queue(spec.queue, app)
        # RQ job ids are global in Redis: namespace them like the queues, so deployments (and
        # test sessions) sharing one Redis never mistake each other's jobs for their own.
        job_id = f"{app.config['QUEUE_PREFIX']}-{spec.job_id}" if spec.job_id else None
        options: dict[str, Any] = {
            "job_id": job_id,
            "job_timeout": spec.timeout,
            "result_ttl": 3600,
            "failure_ttl": 7 * 24 * 3600,
            "retry": _retry(app) if spec.network else None,
        }
        if job_id and spec.new_id and not spec.delay:
            _enqueue_new(queue, spec, job_id, options)
            return
        if job_id and not spec.new_id and _is_active(queue, job_id):
            return
        if spec.delay:
            queue.enqueue_in(spec.delay, spec.func, *spec.args, **options)
        else:
            queue.enqueue(spec.func, *spec.args, unique=bool(job_id), **options)
    except DuplicateJobError:
        return
    except RedisError as exc:
        # The data is committed; a sweeper re-enqueues it when Redis is back.
        log.warning("enqueue failed for %s (%s): %s", spec.func, spec.job_id, type(exc).__name__)


def _enqueue_new(queue: Queue, spec: JobSpec, job_id: str, options: dict[str, Any]) -> None:
    """A job whose id cannot have been used (``new_id``): saved, registered and pushed in one
    ``MULTI``/``EXEC`` pipeline, one round trip, instead of RQ's unique-enqueue script plus a
    separate round trip that registers the queue. Atomic: the job is queued whole or not at
    all, so a Redis failure leaves nothing that would stop the sweeper re-enqueueing it."""
    job = queue.create_job(
        spec.func,
        args=spec.args,
        kwargs=spec.kwargs or None,
        job_id=job_id,
        timeout=options["job_timeout"],
        result_ttl=options["result_ttl"],
        failure_ttl=options["failure_ttl"],
        retry=options["retry"],
    )
    with queue.connection.pipeline() as pipe:
        queue.enqueue_job(job, pipeline=pipe)
        pipe.execute()


def _is_active(queue: Queue, job_id: str) -> bool:
    """True when a job with this id is waiting or running; a finished one is replaced."""
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return False
    if job.get_status(refresh=False) in ACTIVE_STATUSES:
        return True
    job.delete()
    return False


def run_inline(app: Flask, spec: JobSpec) -> None:
    """Run a job now, in this app context, as a worker would: it commits or rolls back alone."""
    try:
        resolve(spec.func)(*spec.args, **spec.kwargs)
    except Exception:
        db.session.rollback()
        if app.config.get("JOBS_INLINE_RAISE"):
            raise
        log.exception("inline job %s (%s) failed", spec.func, spec.job_id)


# --- periodic work and sweepers -------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    every_seconds: int
    queue: str = "default"


def register_periodic(
    app: Flask, name: str, func: str | JobFunc, every_seconds: int, queue: str = "default"
) -> None:
    """Declare work that ``flask caseflow cron`` enqueues every ``every_seconds``."""
    registry: dict[str, Periodic] = app.extensions.setdefault("caseflow_periodic", {})
    registry[name] = Periodic(name, func_path(func), every_seconds, queue)


def periodic_jobs(app: Flask) -> dict[str, Periodic]:
    return dict(app.extensions.get("caseflow_periodic", {}))


def register_sweeper(app: Flask, name: str, func: str | JobFunc) -> None:
    """Declare a function that re-enqueues work a crash or a Redis outage left behind.

    Sweepers return how many items they re-enqueued; ``flask caseflow sweep`` runs them all and
    so does the periodic ``sweep`` job.
    """
    app.extensions.setdefault("caseflow_sweepers", {})[name] = func_path(func)


def run_sweepers() -> dict[str, int]:
    """Job and CLI entry point: run every registered sweeper and commit once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    counts = {
        name: int(resolve(path)())
        for name, path in app.extensions.get("caseflow_sweepers", {}).items()
    }
    db.session.commit()
    return counts
