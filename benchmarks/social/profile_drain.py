"""SQL statements and CPU per item of the drain job, measured in-process (no RQ, no wrk).

Creates a fresh PostgreSQL database (``--database``, dropped and made again), registers
``--deliveries`` Meta deliveries of ``--entries`` Messenger DMs each (every sender new, so
with the DM unit configured each item opens a ``fraga`` case; ``--inbox`` leaves the DM unit
unset so items land in the social inbox), then calls ``intake.drain.drain`` until nothing is
left, with ``INTAKE_DRAIN_BATCH`` deliveries per call. Prints per item: SQL statements (and
per statement kind and table with ``--statements``), process CPU ms and wall ms, and Python
function calls with ``--cprofile``. Statement and call counts do not depend on the machine's
load; CPU ms moves with it, so compare old and new code in the same session.

    python -m benchmarks.social.profile_drain --entries 1 --deliveries 300 --statements
    python -m benchmarks.social.profile_drain --entries 10 --deliveries 30 --cprofile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import time
from collections import Counter
from typing import Any

import sqlalchemy as sa

from benchmarks.database import create_database, migrate
from benchmarks.social.gen_deliveries import PAGE_ID, delivery
from caseflow import create_app
from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.social.models import SocialItem
from caseflow.units.models import Unit
from intake import drain as drain_module
from intake.models import IntakeItem, IntakeStatus

_VERB_TABLE = re.compile(
    r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO|"
    r"COMMIT|BEGIN|ANALYZE)\s*(\S*)",
    re.IGNORECASE,
)


def _kind(statement: str) -> str:
    """``INSERT INTO cases``, ``SELECT … FROM social_items``, ``SAVEPOINT``: a short label."""
    text = " ".join(statement.split())
    match = _VERB_TABLE.match(text)
    if not match:
        return text[:40]
    verb, table = match.group(1).upper(), match.group(2)
    if verb == "SELECT":
        found = re.search(r"\bFROM\s+(\w+)", text, re.IGNORECASE)
        return f"SELECT {found.group(1) if found else '?'}"
    if verb in ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO", "COMMIT", "BEGIN"):
        return verb
    return f"{verb} {table}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="caseflow_bench_social_profile")
    parser.add_argument("--entries", type=int, default=1)
    parser.add_argument("--deliveries", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100, help="INTAKE_DRAIN_BATCH")
    parser.add_argument("--inbox", action="store_true", help="no DM unit: items to the inbox")
    parser.add_argument("--statements", action="store_true", help="count by statement kind")
    parser.add_argument("--cprofile", action="store_true", help="the 25 costliest functions")
    args = parser.parse_args()

    url = f"{args.pg}/{args.database}"
    create_database(url)
    migrate(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "REDIS_URL": None,
            "META_PAGE_ID": PAGE_ID,
            "SOCIAL_DM_UNIT": None if args.inbox else "SOC",
            "INTAKE_DRAIN_BATCH": args.batch,
            "INTAKE_DRAIN_BUDGET_SECONDS": 3600,
        }
    )
    # The profiler calls drain() itself until nothing waits; no follow-up drain is dispatched.
    drain_module.request_drain = lambda channel: None
    base_ms = int(time.time() * 1000)
    with app.app_context():
        db.session.add(Unit(name="Kontaktcenter", prefix="SOC"))
        db.session.execute(
            sa.insert(IntakeItem),
            [
                {
                    "channel": "meta",
                    "external_id": f"profile:{n}",
                    "kind": "delivery",
                    "raw": delivery(n, args.entries, base_ms),
                    "headers": {},
                    "data": {},
                }
                for n in range(args.deliveries)
            ],
        )
        db.session.commit()
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")

        kinds: Counter[str] = Counter()

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            kinds[_kind(statement)] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if args.cprofile else None
        calls = 0
        c0, w0 = time.process_time(), time.perf_counter()
        while True:
            if profiler:
                profiler.enable()
            handled = drain_module.drain("meta")
            if profiler:
                profiler.disable()
            db.session.remove()
            if not handled:
                break
            calls += 1
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        sa.event.remove(db.engine, "before_cursor_execute", count)
        items = db.session.execute(sa.select(sa.func.count()).select_from(SocialItem)).scalar()
        cases = db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar()
        failed = db.session.execute(
            sa.select(sa.func.count()).where(IntakeItem.status == IntakeStatus.FAILED)
        ).scalar()
        db.session.remove()
    items = int(items or 0)
    total = sum(kinds.values())
    print(
        f"{args.deliveries} deliveries x {args.entries} entries, {calls} drain calls: "
        f"{items} items, {cases} cases, {failed} failed; "
        f"{total} statements = {total / max(items, 1):.2f} per item; "
        f"cpu {cpu * 1000 / max(items, 1):.2f} ms/item, wall {wall * 1000 / max(items, 1):.2f} "
        f"ms/item ({items / wall:.0f} items/s in one thread)"
    )
    if args.statements:
        for kind, n in kinds.most_common():
            print(f"  {n / max(items, 1):6.2f} per item  {n:6d}  {kind}")
    if profiler:
        stats = pstats.Stats(profiler)
        print(f"python function calls per item: {stats.total_calls / max(items, 1):.0f}")  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
