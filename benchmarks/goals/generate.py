"""Generate the goal-report benchmark data in its own PostgreSQL database, with COPY.

10,000,000 usage events over the last 730 days (plus 100,000 on one extra day for the rollup
timing), 1,000,000 cases over the same days, 20 units, 60 e-services, daily Matomo visits,
and the goals. Usage:

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals \
        .venv/bin/python -m benchmarks.goals.generate [--events 10000000] [--cases 1000000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.database import create_database, migrate

KINDS = [
    ("eservice_view", 40),
    ("form_submitted", 12),
    ("citizen_reply", 6),
    ("social_inbound", 10),
    ("social_outbound", 8),
    ("case_transition", 14),
    ("page_view", 7),
    ("site_visit", 3),
]
CHANNELS = ["webform", "facebook", "messenger", "instagram", "x", "email", "phone", "open311"]
DAYS = 730
ROLLUP_DAY_EVENTS = 100_000
NULL = "\\N"


def _copy(conn: psycopg.Connection, table: str, columns: str, lines) -> int:
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            n += 1
            if n % 200_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals"
    )
    rng = random.Random(2011)
    started = time.monotonic()
    create_database(url)
    migrate(url)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    first_day = today - timedelta(days=DAYS)
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur:
            for i in range(20):
                cur.execute(
                    "INSERT INTO units (id, name, prefix, created_at) VALUES (%s, %s, %s, %s)",
                    (i + 1, f"Enhet {i + 1}", f"U{i + 1:02d}", now),
                )
            for i in range(60):
                published = now - timedelta(days=rng.randint(0, 2 * DAYS))
                retired = published + timedelta(days=500) if i % 15 == 0 else None
                cur.execute(
                    "INSERT INTO eservices (id, slug, title_sv, title_en, description_sv,"
                    " description_en, unit_id, workflow_key, handling_days, form, published_at,"
                    " retired_at, created_at)"
                    " VALUES (%s,%s,%s,%s,'','',%s,'arende',10,'{}',%s,%s,%s)",
                    (
                        i + 1,
                        f"e-{i + 1}",
                        f"E-tjänst {i + 1}",
                        f"E-service {i + 1}",
                        i % 20 + 1,
                        published,
                        retired if retired and retired < now else None,
                        now,
                    ),
                )
            year = today.year
            for pos, (slug, metric, change) in enumerate(
                [
                    ("fler-e-tjanster", "published_eservices", 20.0),
                    ("fler-besok", "website_visits", 20.0),
                    ("mer-digital-dialog", "digital_dialogue", 10.0),
                    ("digital-andel", "digital_case_share", 5.0),
                    ("inom-tid", "sla_share", 5.0),
                ]
            ):
                cur.execute(
                    "INSERT INTO goals (slug, title_sv, title_en, description_sv, description_en,"
                    " metric, params, baseline_start, baseline_end, target_start, target_end,"
                    " target_change, direction, public, position, created_at) VALUES"
                    " (%s,%s,%s,'','',%s,'{}',%s,%s,%s,%s,%s,'increase',true,%s,%s)",
                    (
                        slug,
                        slug,
                        slug,
                        metric,
                        date(year - 1, 1, 1),
                        date(year - 1, 12, 31),
                        date(year, 1, 1),
                        date(year, 12, 31),
                        change,
                        pos,
                        now,
                    ),
                )
            cur.execute("SELECT setval('units_id_seq', 20); SELECT setval('eservices_id_seq', 60)")
        conn.commit()
        print(f"schema and reference data: {time.monotonic() - started:.1f}s", flush=True)

        kinds = [k for k, _ in KINDS]
        weights = [w for _, w in KINDS]
        span = DAYS * 86400

        def events():
            for i in range(args.events):
                at = now - timedelta(seconds=rng.randrange(span))
                kind = rng.choices(kinds, weights)[0]
                es = rng.randint(1, 60) if kind in ("eservice_view", "form_submitted") else ""
                unit = (es - 1) % 20 + 1 if es else ""
                channel = "webform" if es else rng.choice(CHANNELS)
                row = (
                    str(i + 1),
                    kind,
                    str(es or NULL),
                    channel,
                    str(unit or NULL),
                    at.isoformat(),
                )
                yield "\t".join(row) + "\n"
            # One extra-busy day, 100,000 events, for the rollup timing.
            busy = datetime.combine(today - timedelta(days=DAYS + 10), datetime.min.time(), UTC)
            for j in range(ROLLUP_DAY_EVENTS):
                at = busy + timedelta(hours=2, seconds=rng.randrange(20 * 3600))
                kind = rng.choices(kinds, weights)[0]
                row = (
                    str(args.events + j + 1),
                    kind,
                    NULL,
                    rng.choice(CHANNELS),
                    NULL,
                    at.isoformat(),
                )
                yield "\t".join(row) + "\n"

        t = time.monotonic()
        n = _copy(
            conn, "usage_events", "id, kind, eservice_id, channel, unit_id, occurred_at", events()
        )
        conn.commit()
        print(f"usage_events: {n} rows in {time.monotonic() - t:.1f}s", flush=True)

        def cases():
            serials: dict[tuple[int, int], int] = {}
            for i in range(args.cases):
                opened = now - timedelta(seconds=rng.randrange(span))
                unit = rng.randint(1, 20)
                es = rng.randint(1, 60) if rng.random() < 0.6 else None
                channel = "webform" if es else rng.choice(CHANNELS)
                year = opened.year
                serials[(unit, year)] = serial = serials.get((unit, year), 0) + 1
                ref = f"U{unit:02d} {year}/{serial:06d}"
                key = f"U{unit:02d}-{year}-{serial:06d}"
                due = opened.date() + timedelta(days=14)
                closed = opened + timedelta(hours=rng.randint(2, 24 * 30))
                if closed > now:
                    closed_s, state = NULL, "inkommen"
                else:
                    closed_s, state = closed.isoformat(), "avslutad"
                notice = (
                    (opened + timedelta(days=15)).isoformat()
                    if closed_s != NULL
                    and closed.date() > due
                    and rng.random() < 0.5
                    and opened + timedelta(days=15) < now
                    else NULL
                )
                yield (
                    f"{i + 1}\t{ref}\t{key}\t{year}\t{serial}\tBenchmark\t\t{es or NULL}\t{channel}"
                    f"\t{unit}\tarende\t1\t{state}\tnormal\t10\t{due.isoformat()}\t{opened.isoformat()}"
                    f"\t{closed_s}\t{opened.isoformat()}\t{notice}\ttok{i + 1}\tf\tt\n"
                )

        t = time.monotonic()
        n = _copy(
            conn,
            "cases",
            "id, reference, reference_key, serial_year, serial, title, description, eservice_id,"
            " channel, unit_id, workflow_key, workflow_version, state, priority, sla_days,"
            " due_date, opened_at, closed_at, last_activity_at, delay_notice_sent_at,"
            " tracking_token, secret, opened_by_individual",
            cases(),
        )
        conn.commit()
        print(f"cases: {n} rows in {time.monotonic() - t:.1f}s", flush=True)

        def visits():
            for d in range(DAYS):
                day = first_day + timedelta(days=d)
                value = int(3000 * (1 + 0.2 * d / 365) * rng.uniform(0.9, 1.1))
                yield f"{day.isoformat()}\twebsite_visits\tmatomo\t{value}\t{now.isoformat()}\n"

        _copy(conn, "external_counts", "day, metric, source, value, imported_at", visits())
        with conn.cursor() as cur:
            cur.execute("SELECT setval('usage_events_id_seq', (SELECT max(id) FROM usage_events))")
            cur.execute("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))")
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            # Production tables are written in time order (events as they happen, cases as
            # they are opened); the generator writes at random, so put the rows back in order.
            t = time.monotonic()
            cur.execute("CLUSTER usage_events USING ix_usage_events_occurred_at_kind")
            cur.execute("CLUSTER cases USING ix_cases_opened_at")
            print(f"clustered by time in {time.monotonic() - t:.1f}s", flush=True)
            cur.execute("VACUUM ANALYZE")
    print(f"done in {time.monotonic() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
