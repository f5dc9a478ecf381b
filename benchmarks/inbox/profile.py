"""CPU time and SQL statements of one inbox request, measured in-process (no HTTP, no wrk).

    CASEFLOW_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_inbox \
        python -m benchmarks.inbox.profile --path '/inbox?view=units' --requests 50 [--cprofile]

Signs in as ``--email`` through a fresh API token, warms up, then runs ``--requests`` requests
through Flask's test client and prints the median process CPU ms, wall ms and SQL statements
per request. Under a shared machine wall time is noisy; CPU time per request is the figure to
compare before and after a change. ``--statements`` prints each statement's median wall ms,
``--cprofile`` the 30 costliest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import sqlalchemy as sa

from benchmarks.statements import StatementTimer
from caseflow import create_app
from caseflow.auth.models import User
from caseflow.auth.tokens import create_token
from caseflow.extensions import db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="h1@bench.example")
    parser.add_argument("--path", default="/inbox?view=units")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--statements", action="store_true", help="median ms per statement")
    args = parser.parse_args()
    app = create_app({"REDIS_URL": None})
    with app.app_context():
        user = db.session.execute(sa.select(User).where(User.email == args.email)).scalar_one()
        _token, secret = create_token(user, f"profile {time.time():.0f}")
        db.session.commit()
        engine = db.engine
    timer = StatementTimer(engine, width=90)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    cpu, wall, sql = [], [], []
    profiler = cProfile.Profile() if args.cprofile else None
    with timer:
        for _ in range(3):
            assert client.get(args.path, headers=headers).status_code == 200
        timer.forget()
        for _ in range(args.requests):
            timer.new_request()
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(args.path, headers=headers)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            sql.append(timer.count)
            assert response.status_code == 200, response.status_code
    print(
        f"{args.path}: cpu {statistics.median(cpu):.1f} ms (min {min(cpu):.1f}),"
        f" wall {statistics.median(wall):.1f} ms,"
        f" {statistics.median(sql):.0f} SQL statements, {len(response.data)} bytes"
    )
    if args.statements:
        timer.print_medians()
    if profiler:
        stats = pstats.Stats(profiler)
        print(f"{stats.total_calls / args.requests:.0f} Python function calls per request")
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
