"""CPU, SQL statements and function calls of one report request, measured in-process.

Wall time on a shared machine is noisy; these are not. Run ``generate.py`` and ``run.py``
first (the rollups must exist), then:

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals \
        .venv/bin/python -m benchmarks.goals.profile [--path goals|usage|URL] [--requests 200] \
        [--statements] [--cprofile]

Requests go through Flask's test client as a signed-in admin (session cookie), each in its
own app context as under gunicorn, like ``run.py``'s HTTP rows. Prints the median process CPU
ms, wall ms, SQL statements and Python function calls per request; ``--statements`` adds each
statement's median wall ms (the session-user load is the one on ``users``), ``--cprofile``
the costliest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from benchmarks.statements import StatementTimer
from caseflow import create_app
from caseflow.extensions import db


def _usage_path() -> str:
    from caseflow.reports.periods import today

    last = today()
    first = (last.replace(day=1) - timedelta(days=335)).replace(day=1)
    return (
        "/api/v1/reports/usage?metric=form_submitted&by=eservice&group=month"
        f"&from={first}&to={last}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="usage", help="goals, usage or a URL path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--statements", action="store_true", help="median ms per statement")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    args = parser.parse_args()
    import os

    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals"
    )
    app = create_app({"DATABASE_URL": url, "REDIS_URL": None, "LOG_LEVEL": "WARNING"})
    from flask_login import FlaskLoginClient

    from caseflow.auth.models import User

    with app.app_context():
        admin = db.session.execute(
            sa.select(User).where(User.role == "admin").limit(1)
        ).scalar_one_or_none()
        if admin is None:
            from caseflow.auth.services import create_user

            admin = create_user(
                email="bench@example.se", password="bench-password-123", role="admin"
            )
            db.session.commit()
        path = {"usage": _usage_path(), "goals": "/api/v1/reports/goals"}.get(args.path, args.path)
        app.test_client_class = FlaskLoginClient
        client = app.test_client(user=admin)
        engine = db.engine
        db.session.remove()

    timer = StatementTimer(engine)

    # The session-user load (Flask-Login's user loader, owned by auth) timed apart, to show
    # how much of the request it is.
    from caseflow.extensions import login_manager

    loader = login_manager._user_callback
    user_cpu: list[float] = []
    user_wall: list[float] = []

    def timed_loader(user_id: str) -> Any:
        c0, w0 = time.process_time(), time.perf_counter()
        try:
            return loader(user_id)
        finally:
            user_cpu.append((time.process_time() - c0) * 1000)
            user_wall.append((time.perf_counter() - w0) * 1000)

    login_manager._user_callback = timed_loader
    cpu, wall, sql = [], [], []
    with timer:
        for _ in range(3):
            assert client.get(path).status_code == 200
        timer.forget()
        user_cpu.clear()
        user_wall.clear()
        for _ in range(args.requests):
            timer.new_request()
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            sql.append(timer.count)
            assert response.status_code == 200, response.status_code
    login_manager._user_callback = loader
    calls = []
    for _ in range(5):  # profiled apart: profiling slows the requests down
        counter = cProfile.Profile()
        counter.enable()
        client.get(path)
        counter.disable()
        calls.append(sum(s[1] for s in pstats.Stats(counter).stats.values()))  # type: ignore[attr-defined]
    profiler = cProfile.Profile() if args.cprofile else None
    if profiler:
        for _ in range(args.requests):
            profiler.enable()
            client.get(path)
            profiler.disable()
    print(
        f"{path}\n  cpu {statistics.median(cpu):.2f} ms (min {min(cpu):.2f}),"
        f" wall {statistics.median(wall):.2f} ms (min {min(wall):.2f}),"
        f" {statistics.median(sql):.0f} SQL statements,"
        f" {statistics.median(calls):.0f} Python function calls per request"
    )
    print(
        f"  of which the session-user load: cpu {statistics.median(user_cpu):.2f} ms,"
        f" wall {statistics.median(user_wall):.2f} ms"
    )
    if args.statements:
        timer.print_medians()
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(35)


if __name__ == "__main__":
    main()
