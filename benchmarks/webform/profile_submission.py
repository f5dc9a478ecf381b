"""Where a JSON submission's time goes: SQL statements per request and a cProfile summary.

Runs N submissions through the WSGI app in one thread (no network, no contention) against the
benchmark database prepared by ``run.sh`` (``KEEP_DB=1``) or by ``setup_app``::

    CASEFLOW_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_webform \\
    CASEFLOW_REDIS_URL=redis://127.0.0.1:6379/14 \\
      .venv/bin/python -m benchmarks.webform.profile_submission 300

With ``BASELINE_DATABASE_URL`` and ``BASELINE_REDIS_URL`` set (and ``python -m
benchmarks.baseline.app init`` run) it also measures the baseline's ``POST /intake``.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import Counter

import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db

URL = "/api/v1/eservices/felanmalan-gata/submissions"


def body(n: int) -> dict:
    return {
        "namn": "Greta Gatlykta",
        "epost": "medborgare@example.se",
        "beskrivning": f"Gatlyktan vid Svartbäcksgatan 12 är släckt (profil {n}, {time.time()}).",
        "kategori": "gata",
        "plats": {"address": "Svartbäcksgatan 12", "lat": 59.8614, "long": 17.6389},
        "samtycke": True,
    }


def _cpu_per_request(name: str, call, status: int, count: int) -> None:
    """Wall and CPU (this process: Python, SQLAlchemy, drivers) per request, no profiler."""
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        response = call(n)
        assert response.status_code == status, response.get_data(as_text=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{name:9s} {1000 * wall / count:6.2f} ms wall, {1000 * cpu / count:6.2f} ms CPU"
        " per request (one thread, no profiler)"
    )


def _baseline_cpu(count: int) -> None:
    """The same measurement on the baseline's ``POST /intake`` (``BASELINE_*`` env needed)."""
    import os

    if not (os.environ.get("BASELINE_DATABASE_URL") and os.environ.get("BASELINE_REDIS_URL")):
        print("baseline  (set BASELINE_DATABASE_URL and BASELINE_REDIS_URL to compare)")
        return
    from benchmarks.baseline.app import create_app as create_baseline

    client = create_baseline().test_client()
    payload = {
        "eservice": "felanmalan-gata",
        "title": "Trasig gatlykta",
        "description": "Gatlyktan vid Svartbäcksgatan 12 är släckt sedan i måndags.",
        "email": "medborgare@example.se",
    }
    for _ in range(20):
        client.post("/intake", json=payload)
    _cpu_per_request("baseline", lambda n: client.post("/intake", json=payload), 201, count)


def _by_package(profiler: cProfile.Profile) -> None:
    """Own time (``tottime``) summed per top-level package: where the CPU goes."""
    stats = pstats.Stats(profiler)
    totals: Counter[str] = Counter()
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        if "site-packages/" in filename:
            package = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif "/caseflow/" in filename or "/intake/" in filename or "/workflows/" in filename:
            package = "caseflow (this repository)"
        elif filename == "~":
            package = f"builtins: {function.split(' ')[-1][:40]}"
        else:
            package = "python stdlib"
        totals[package.removesuffix(".py")] += own
    whole = sum(totals.values())
    print("own CPU time by package (profiler on):")
    for package, own in totals.most_common(14):
        print(f"  {100 * own / whole:5.1f} %  {package}")


def main(count: int) -> None:
    app = create_app({"SUBMISSION_RATE_LIMIT": "100000000 per minute"})
    client = app.test_client()
    statements: Counter[str] = Counter()
    lock_taken: list[float] = []
    lock_held: list[float | None] = []
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        verb = words[0].upper()
        keywords = ("INTO", "FROM", "UPDATE")
        table = next((words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() in keywords), "")
        statements[f"{verb} {table}".strip()] += 1
        if table == "case_sequences":
            lock_taken.append(time.perf_counter())

    @sa.event.listens_for(engine, "commit")
    def _committed(conn):
        if len(lock_taken) > len(lock_held):
            lock_held.append(None)

    @sa.event.listens_for(db.session, "after_commit")
    def _after_commit(session):
        if lock_held and lock_held[-1] is None:
            lock_held[-1] = time.perf_counter() - lock_taken[-1]

    for n in range(20):  # warm-up
        assert client.post(URL, json=body(-n)).status_code == 201
    _cpu_per_request("caseflow", lambda n: client.post(URL, json=body(10_000 + n)), 201, count)
    _baseline_cpu(count)
    statements.clear()
    lock_taken.clear()
    lock_held.clear()
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on PostgreSQL excluded
    started = time.perf_counter()
    profiler.enable()
    for n in range(count):
        response = client.post(URL, json=body(n))
        assert response.status_code == 201, response.get_data(as_text=True)
    profiler.disable()
    elapsed = time.perf_counter() - started
    each = 1000 * elapsed / count
    print(f"{count} submissions in {elapsed:.2f}s: {each:.2f} ms each, one thread")
    calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    # Deterministic, unlike CPU time on a shared machine: compare changes with this too.
    print(f"Python function calls per submission: {calls / count:.0f}")
    print(f"SQL statements per submission: {sum(statements.values()) / count:.1f}")
    for name, n in statements.most_common():
        print(f"  {n / count:4.1f}  {name}")
    held = sorted(h for h in lock_held if h is not None)
    if held:
        median = held[len(held) // 2] * 1000
        print(
            f"unit serial row locked from its upsert to COMMIT: median {median:.2f} ms"
            f" (ceiling for one unit: {1000 / median:.0f} submissions/s), profiler on"
        )
    _by_package(profiler)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"(caseflow|intake)/", 30)
    stats.sort_stats("tottime").print_stats(25)
    if os.environ.get("PROFILE_CALLEES"):  # e.g. "submission.py:.*\\(_open\\)"
        stats.sort_stats("cumulative").print_callees(os.environ["PROFILE_CALLEES"])
    print(out.getvalue())
    print(json.dumps(client.post(URL, json=body(-1)).get_json()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
