"""Worker throughput: social items per second by one non-forking worker, beside no-op jobs.

Drains the Caseflow intake queue (deliveries registered by the wrk run) with the same worker
``flask caseflow worker`` runs (RQ ``SimpleWorker``, app context per job), counts the items
and cases made, then enqueues as many no-op jobs and drains them with a plain
``rq.SimpleWorker`` on the same Redis. Needs ``CASEFLOW_DATABASE_URL``/``CASEFLOW_REDIS_URL``.

    python -m benchmarks.social.worker_bench --noop-jobs 3000
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa
from rq import Queue, SimpleWorker

from caseflow import create_app
from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.jobs import get_queue, get_redis
from caseflow.social.models import SocialItem
from caseflow.worker import make_worker


def _counts() -> tuple[int, int]:
    items = db.session.execute(sa.select(sa.func.count()).select_from(SocialItem)).scalar()
    cases = db.session.execute(
        sa.select(sa.func.count()).select_from(Case).where(Case.channel == "messenger")
    ).scalar()
    db.session.rollback()
    return int(items or 0), int(cases or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--noop-jobs", type=int, default=3000, help="0: skip the reference")
    parser.add_argument("--max-jobs", type=int, default=1000, help="deliveries to drain")
    parser.add_argument("--label", default="social")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        queued = get_queue("intake").count
        items0, cases0 = _counts()
    worker = make_worker(app, ["intake"])
    start = time.perf_counter()
    worker.work(burst=True, max_jobs=args.max_jobs, logging_level="WARNING")
    social_seconds = time.perf_counter() - start
    with app.app_context():
        items1, cases1 = _counts()
        redis = get_redis(app)
        left = get_queue("intake").count
        get_queue("intake").empty()  # the rest would only repeat the measurement
    items = items1 - items0
    item_rate = items / social_seconds if social_seconds else 0.0
    drained = queued - left
    print(f"[{args.label}] deliveries drained: {drained} of {queued} in {social_seconds:.1f} s")
    print(
        f"[{args.label}] social items: {items} ({cases1 - cases0} messenger cases)"
        f" -> {item_rate:.0f} items/s, {drained / social_seconds:.0f} deliveries/s"
    )
    if not args.noop_jobs:
        return
    noop_queue = Queue("bench-social-noop", connection=redis)
    noop_queue.empty()
    for n in range(args.noop_jobs):
        noop_queue.enqueue("benchmarks.social.noop.noop", n, result_ttl=60)
    start = time.perf_counter()
    SimpleWorker([noop_queue], connection=redis).work(burst=True, logging_level="WARNING")
    noop_seconds = time.perf_counter() - start
    noop_rate = args.noop_jobs / noop_seconds
    print(f"no-op jobs: {args.noop_jobs} in {noop_seconds:.1f} s -> {noop_rate:.0f} jobs/s")
    print(f"ratio items/s vs no-op jobs/s: {item_rate / noop_rate:.2f}")


if __name__ == "__main__":
    main()
