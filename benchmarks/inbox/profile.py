"""CPU time, SQL statements and round trips of inbox requests, measured in-process (no HTTP).

    CASEFLOW_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_inbox \\
        python -m benchmarks.inbox.profile [--path '/inbox?view=units'] [--requests 100] \\
        [--statements] [--cprofile]

Without ``--path`` it measures the four requests ``run.sh`` sends wrk to: the first page, the
page ``--offset`` cases deep (the keyset cursor ``cursor.py`` prints), and the searches for a
rare and a common word. Each is signed in with a fresh API token, without cookies (as wrk
sends it), warmed up, then run ``--requests`` times through Flask's test client. Printed per
request: the median thread CPU ms, the PostgreSQL backends' CPU ms (mean; local server only),
wall ms, SQL statements and database round trips (statements plus the BEGIN, ROLLBACK/COMMIT
and pool pings around them). Under a shared
machine wall time is noisy; CPU time is the figure to compare, and Python function calls
(``--cprofile``, which also lists the 30 costliest functions) are exact.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from typing import Any

import sqlalchemy as sa

from benchmarks.statements import StatementTimer
from caseflow import create_app
from caseflow.auth.models import User
from caseflow.auth.tokens import create_token
from caseflow.extensions import db

RARE = "bergdalv%C3%A4gen"
COMMON = "lampa"


class RoundTrips:
    """Round trips to PostgreSQL, from SQLAlchemy's events and psycopg's transaction status:
    each statement, the BEGIN psycopg sends before the first statement of a transaction, the
    ROLLBACK or COMMIT that ends one, and a pool ping at checkout."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.count = 0

    def _statement(self, conn: sa.Connection, *_args: Any) -> None:
        dbapi = conn.connection.dbapi_connection
        idle = getattr(getattr(dbapi, "info", None), "transaction_status", None) == 0
        self.count += 2 if idle and not getattr(dbapi, "autocommit", True) else 1

    def _end(self, dbapi: Any, *_args: Any) -> None:
        if getattr(getattr(dbapi, "info", None), "transaction_status", 0) != 0:
            self.count += 1

    def _end_connection(self, conn: sa.Connection, *_args: Any) -> None:
        self._end(conn.connection.dbapi_connection)

    def __enter__(self) -> RoundTrips:
        sa.event.listen(self.engine, "before_cursor_execute", self._statement)
        sa.event.listen(self.engine.pool, "reset", self._end)
        sa.event.listen(self.engine, "rollback", self._end_connection)
        sa.event.listen(self.engine, "commit", self._end_connection)
        self._ping = self.engine.dialect.do_ping

        def ping(dbapi: Any) -> bool:
            self.count += 1
            return self._ping(dbapi)

        self.engine.dialect.do_ping = ping  # type: ignore[method-assign]
        return self

    def __exit__(self, *_exc: Any) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._statement)
        sa.event.remove(self.engine.pool, "reset", self._end)
        sa.event.remove(self.engine, "rollback", self._end_connection)
        sa.event.remove(self.engine, "commit", self._end_connection)
        self.engine.dialect.do_ping = self._ping  # type: ignore[method-assign]


class BackendCPU:
    """CPU time of the PostgreSQL backends serving the profiled requests (a local server:
    ``/proc/<pid>/schedstat``; on another host the figure is left out). The baseline and the
    app share two cores with PostgreSQL, so its planning and executing count as much as ours."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.pids: set[int] = set()

    def _checkout(self, dbapi: Any, *_args: Any) -> None:
        pid = getattr(getattr(dbapi, "info", None), "backend_pid", None)
        if pid:
            self.pids.add(pid)

    def ns(self) -> int | None:
        total = 0
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/schedstat") as stat:
                    total += int(stat.read().split()[0])
            except (OSError, ValueError, IndexError):
                return None
        return total

    def __enter__(self) -> BackendCPU:
        sa.event.listen(self.engine.pool, "checkout", self._checkout)
        return self

    def __exit__(self, *_exc: Any) -> None:
        sa.event.remove(self.engine.pool, "checkout", self._checkout)


def default_paths(email: str, offset: int) -> list[str]:
    """The URLs ``run.sh`` measures (same cursor as ``benchmarks.inbox.cursor``)."""
    from benchmarks.inbox.cursor import cursor_at

    cursor = cursor_at(email, offset)
    return [
        "/inbox?view=units",
        f"/inbox?view=units&cursor={cursor}",
        f"/inbox?view=units&q={RARE}",
        f"/inbox?view=units&q={COMMON}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="h1@bench.example")
    parser.add_argument("--path", action="append", help="default: the four URLs of run.sh")
    parser.add_argument("--offset", type=int, default=5000, help="depth of the deep page")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--statements", action="store_true", help="median ms per statement")
    args = parser.parse_args()
    app = create_app({"REDIS_URL": None})
    with app.app_context():
        user = db.session.execute(sa.select(User).where(User.email == args.email)).scalar_one()
        _token, secret = create_token(user, f"profile {time.time():.0f}")
        db.session.commit()
        engine = db.engine
    paths = args.path or default_paths(args.email, args.offset)
    client = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {secret}"}
    for path in paths:
        timer = StatementTimer(engine, width=90)
        cpu, wall, sql, trips = [], [], [], []
        profiler = cProfile.Profile() if args.cprofile else None
        with timer, RoundTrips(engine) as round_trips, BackendCPU(engine) as backend:
            for _ in range(10):
                assert client.get(path, headers=headers).status_code == 200
            timer.forget()
            backend_start = backend.ns()
            for _ in range(args.requests):
                timer.new_request()
                round_trips.count = 0
                c0, w0 = time.thread_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                response = client.get(path, headers=headers)
                if profiler:
                    profiler.disable()
                cpu.append((time.thread_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                sql.append(timer.count)
                trips.append(round_trips.count)
                assert response.status_code == 200, response.status_code
            backend_end = backend.ns()
        db_cpu = ""
        if backend_start is not None and backend_end is not None:
            per_request = (backend_end - backend_start) / args.requests / 1e6
            db_cpu = f" PostgreSQL cpu {per_request:.2f} ms,"
        print(
            f"{path[:60]}: cpu {statistics.median(cpu):.2f} ms (min {min(cpu):.2f}),"
            f"{db_cpu} wall {statistics.median(wall):.1f} ms,"
            f" {statistics.median(sql):.0f} SQL statements,"
            f" {statistics.median(trips):.0f} round trips, {len(response.data)} bytes"
        )
        if args.statements:
            timer.print_medians()
        if profiler:
            stats = pstats.Stats(profiler)
            print(f"  {stats.total_calls / args.requests:.0f} Python function calls per request")
            if len(paths) == 1:
                stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
