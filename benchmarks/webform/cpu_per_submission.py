"""CPU, Python calls and SQL statements per JSON submission, without the profiler's overhead.

Runs N submissions through the WSGI app in one thread against the benchmark database (as
``profile_submission``) and prints one line; ``ab.sh`` runs it alternately on an older
revision and on the working tree, so both are measured in the same session::

    CASEFLOW_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_webform \\
    CASEFLOW_REDIS_URL=redis://127.0.0.1:6379/14 CASEFLOW_QUEUE_PREFIX=bench \\
      .venv/bin/python -m benchmarks.webform.cpu_per_submission 300 new

CPU time (``time.process_time``) moves with the machine's load; the count of Python function
calls (from a short cProfile run after the timed one) and of statements do not. "postgres" is
the CPU every PostgreSQL process of the machine used meanwhile (``benchmarks.proc_cpu``): run
it on an otherwise idle server.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time

import sqlalchemy as sa

from benchmarks.proc_cpu import seconds_by_name, snapshot
from benchmarks.webform.profile_submission import URL, body
from caseflow import create_app
from caseflow.extensions import db

PROFILED = 50


def main(count: int, label: str) -> None:
    app = create_app({"SUBMISSION_RATE_LIMIT": "100000000 per minute"})
    client = app.test_client()
    executed = [0]
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        executed[0] += 1

    for n in range(30):  # warm-up: pools, caches, prepared statements
        assert client.post(URL, json=body(-n)).status_code == 201
    executed[0] = 0
    server = snapshot()
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(count):
        response = client.post(URL, json=body(n))
        assert response.status_code == 201, response.get_data(as_text=True)
    cpu = 1000 * (time.process_time() - cpu) / count
    postgres = 1000 * seconds_by_name(server, snapshot())["postgres"] / count
    wall = 1000 * (time.perf_counter() - wall) / count
    statements = executed[0] / count
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(PROFILED):
        client.post(URL, json=body(100_000 + n))
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls / PROFILED  # type: ignore[attr-defined]
    print(
        f"{label:6s} CPU {cpu:6.2f} ms  postgres {postgres:5.2f} ms  wall {wall:6.2f} ms"
        f"  Python calls {calls:6.0f}"
        f"  statements {statements:4.1f} (+ COMMIT)  load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300, sys.argv[2] if len(sys.argv) > 2 else "")
