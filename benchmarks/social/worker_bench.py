"""Worker throughput: social items per second by one non-forking worker, beside no-op jobs.

Takes ``--jobs`` registered but unprocessed deliveries of one size (left by the wrk run) and
has them processed by the worker ``flask caseflow worker`` runs (RQ ``SimpleWorker``, a fresh
app context per job, no fork), counting the social items and cases made. ``--mode drain``
(what the webhook does) asks for one drain job, which takes the deliveries in batches of
``INTAKE_DRAIN_BATCH`` and enqueues the next; the other registered deliveries are parked
meanwhile so that only the chosen size is drained. ``--mode per-delivery`` enqueues one
``process_intake_item`` job per delivery (the sweeper's path, and the design before the drain).
Before and after, ``--noop-jobs`` no-op jobs are drained by a plain
``rq.SimpleWorker`` on the same Redis; the ratio is against their mean rate, because other
people's load on the machine changes from minute to minute.
Needs ``CASEFLOW_DATABASE_URL`` and ``CASEFLOW_REDIS_URL``.

    python -m benchmarks.social.worker_bench --entries 10 --jobs 100 --noop-jobs 1000 --mode drain
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa
from redis import Redis
from rq import Queue, SimpleWorker

from caseflow import create_app
from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.jobs import get_queue, get_redis
from caseflow.social.models import SocialItem
from caseflow.worker import make_worker
from intake.drain import request_drain
from intake.models import IntakeItem, IntakeStatus

PARKED = "bench-parked"


def _counts() -> tuple[int, int]:
    items = db.session.execute(sa.select(sa.func.count()).select_from(SocialItem)).scalar()
    cases = db.session.execute(
        sa.select(sa.func.count()).select_from(Case).where(Case.channel == "messenger")
    ).scalar()
    db.session.rollback()
    return int(items or 0), int(cases or 0)


def _noop_rate(redis: Redis, jobs: int) -> float:
    queue = Queue("bench-social-noop", connection=redis)
    queue.empty()
    for n in range(jobs):
        queue.enqueue("benchmarks.social.noop.noop", n, result_ttl=60)
    start = time.perf_counter()
    SimpleWorker([queue], connection=redis).work(burst=True, logging_level="WARNING")
    return jobs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, choices=(1, 10), default=1)
    parser.add_argument("--jobs", type=int, default=300, help="deliveries to process")
    parser.add_argument("--noop-jobs", type=int, default=1000)
    parser.add_argument("--label", default="social")
    parser.add_argument("--mode", choices=("drain", "per-delivery"), default="drain")
    args = parser.parse_args()
    app = create_app()
    size = sa.func.length(IntakeItem.raw)
    with app.app_context():
        redis = get_redis(app)
        queue = get_queue("intake")
        queue.empty()
        ids = (
            db.session.execute(
                sa.select(IntakeItem.id)
                .where(
                    IntakeItem.channel == "meta",
                    IntakeItem.status == IntakeStatus.RECEIVED,
                    size < 1500 if args.entries == 1 else size > 2500,
                )
                .order_by(IntakeItem.id)
                .limit(args.jobs)
            )
            .scalars()
            .all()
        )
        items0, cases0 = _counts()
        # Planner statistics for the tables as they are now (autovacuum's job in production;
        # here the tables grow from empty within a minute, faster than it runs).
        db.session.commit()
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        if args.mode == "drain":
            db.session.execute(
                sa.update(IntakeItem)
                .where(IntakeItem.status == IntakeStatus.RECEIVED, IntakeItem.id.not_in(ids))
                .values(status=PARKED)
            )
            redis.delete(f"{app.config['QUEUE_PREFIX']}-intake-drain-meta")
            request_drain("meta")
            db.session.commit()
        else:
            for item_id in ids:
                queue.enqueue("intake.tasks.process_intake_item", item_id, result_ttl=60)
    before = _noop_rate(redis, args.noop_jobs)
    start = time.perf_counter()
    make_worker(app, ["intake"]).work(burst=True, logging_level="WARNING")
    seconds = time.perf_counter() - start
    after = _noop_rate(redis, args.noop_jobs)
    with app.app_context():
        items1, cases1 = _counts()
        db.session.execute(
            sa.update(IntakeItem)
            .where(IntakeItem.status == PARKED)
            .values(status=IntakeStatus.RECEIVED)
        )
        db.session.commit()
    items = items1 - items0
    rate = items / seconds
    noop = (before + after) / 2
    print(
        f"[{args.label}, {args.mode}] {len(ids)} deliveries, {items} items"
        f" ({cases1 - cases0} cases)"
        f" in {seconds:.1f} s -> {rate:.0f} items/s; no-op jobs {before:.0f}/s before,"
        f" {after:.0f}/s after -> ratio {rate / noop:.2f}"
    )


if __name__ == "__main__":
    main()
