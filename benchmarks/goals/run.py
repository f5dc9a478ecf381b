# ruff: noqa: E501
"""Time the goal reports against the same figures by plain GROUP BY over the raw events.

Run ``generate.py`` first. Then:

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals \
        .venv/bin/python -m benchmarks.goals.run [--skip-rollup]

It rolls up every day (the scheduled job, timed), times the rollup of the 100,000-event day,
then times each report and its raw GROUP BY twin in the same run, checks that both give the
same figures, and prints a Markdown table. Reports keep rollup sums in a per-process cache
between requests; the "cold" row clears it before every call, as the first report after a
rollup finds it. HTTP requests run outside the script's app context, so each one loads its
user, session and rollup generation as under gunicorn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.reports.goal_math import one_decimal

TZ = "Europe/Stockholm"
DIALOGUE = ("form_submitted", "citizen_reply", "social_inbound", "social_outbound")


def new_request() -> None:
    """Forget what one app context keeps (rollup generation, entered figures), as a new
    request would; the per-process rollup cache stays, as it does between requests."""
    from flask import g, has_app_context

    from caseflow.reports.metrics import FIGURES_KEY
    from caseflow.reports.rollup_cache import GENERATION_KEY

    if has_app_context():
        g.pop(GENERATION_KEY, None)
        g.pop(FIGURES_KEY, None)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time in milliseconds over ``runs`` (after one warm-up), and the result."""
    result = fn()
    samples = []
    for _ in range(runs):
        new_request()
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return statistics.median(samples), result


def raw_goal_figures(goals: list[Any]) -> dict[str, tuple[float | None, float | None]]:
    """Baseline and current value of each goal by GROUP BY over the raw tables."""
    from caseflow.reports.periods import range_bounds, today

    out = {}
    for g in goals:
        values = []
        for first, last in (
            (g.baseline_start, g.baseline_end),
            (g.target_start, min(today(), g.target_end)),
        ):
            start, end = range_bounds(first, last)
            p = {"s": start, "e": end, "first": first, "last": last}
            if g.metric == "digital_dialogue":
                sql = (
                    "SELECT kind, count(*) FROM usage_events WHERE kind IN :kinds"
                    " AND occurred_at >= :s AND occurred_at < :e GROUP BY kind"
                )
                rows = db.session.execute(
                    sa.text(sql).bindparams(sa.bindparam("kinds", expanding=True)),
                    {**p, "kinds": list(DIALOGUE)},
                ).all()
                values.append(float(sum(n for _k, n in rows)))
            elif g.metric == "website_visits":
                matomo = db.session.execute(
                    sa.text(
                        "SELECT coalesce(sum(value), 0) FROM external_counts WHERE"
                        " metric = 'website_visits' AND source = 'matomo' AND day BETWEEN :first AND :last"
                    ),
                    p,
                ).scalar_one()
                beacon = db.session.execute(
                    sa.text(
                        f"SELECT coalesce(sum(n), 0) FROM (SELECT (occurred_at AT TIME ZONE '{TZ}')::date d,"
                        " count(*) n FROM usage_events WHERE kind = 'site_visit' AND occurred_at >= :s"
                        " AND occurred_at < :e GROUP BY d) x WHERE d NOT IN (SELECT day FROM"
                        " external_counts WHERE metric = 'website_visits' AND source = 'matomo')"
                    ),
                    p,
                ).scalar_one()
                values.append(float(matomo + beacon))
            elif g.metric == "published_eservices":
                values.append(
                    float(
                        db.session.execute(
                            sa.text(
                                "SELECT count(*) FROM eservices WHERE published_at < :e AND"
                                " (retired_at IS NULL OR retired_at >= :e)"
                            ),
                            p,
                        ).scalar_one()
                    )
                )
            elif g.metric == "digital_case_share":
                rows = db.session.execute(
                    sa.text(
                        "SELECT channel, count(*) FROM cases WHERE opened_at >= :s AND opened_at < :e"
                        " GROUP BY channel"
                    ),
                    p,
                ).all()
                total = sum(n for _c, n in rows)
                digital = sum(n for c, n in rows if c not in ("phone", "visit", "internal"))
                values.append(one_decimal(digital / total * 100) if total else None)
            elif g.metric == "sla_share":
                closed, ok = db.session.execute(
                    sa.text(
                        "SELECT count(*), count(*) FILTER (WHERE due_date IS NULL OR"
                        f" (coalesce(clock_stopped_at, closed_at) AT TIME ZONE '{TZ}')::date <= due_date)"
                        " FROM cases WHERE closed_at >= :s AND closed_at < :e"
                    ),
                    p,
                ).one()
                values.append(one_decimal(ok / closed * 100) if closed else None)
        out[g.slug] = (values[0], values[1])
    return out


def raw_monthly_by_eservice(first: date, last: date) -> Counter[tuple[str, str]]:
    from caseflow.reports.periods import range_bounds

    start, end = range_bounds(first, last)
    rows = db.session.execute(
        sa.text(
            f"SELECT to_char(occurred_at AT TIME ZONE '{TZ}', 'YYYY-MM') m, eservice_id, count(*)"
            " FROM usage_events WHERE kind = 'form_submitted' AND occurred_at >= :s"
            " AND occurred_at < :e AND eservice_id IS NOT NULL GROUP BY m, eservice_id"
        ),
        {"s": start, "e": end},
    ).all()
    return Counter({(m, str(es)): n for m, es, n in rows})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-rollup", action="store_true", help="rollups already filled")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/caseflow_bench_goals"
    )
    app = create_app({"DATABASE_URL": url, "REDIS_URL": None, "LOG_LEVEL": "WARNING"})
    from caseflow.auth.models import User
    from caseflow.reports.goals import all_goals, goals_report
    from caseflow.reports.models import RollupRun
    from caseflow.reports.periods import period_label, today
    from caseflow.reports.rollup import rollup_day, run_rollups
    from caseflow.reports.usage_queries import usage_series

    with app.app_context():
        counts = db.session.execute(
            sa.text("SELECT (SELECT count(*) FROM usage_events), (SELECT count(*) FROM cases)")
        ).one()
        print(f"usage_events: {counts[0]:,}  cases: {counts[1]:,}")
        if not args.skip_rollup:
            started = time.perf_counter()
            result = run_rollups()
            print(
                f"scheduled rollup job: {result['days']} days in {time.perf_counter() - started:.1f}s"
            )
        busy = db.session.execute(
            sa.text(
                f"SELECT (occurred_at AT TIME ZONE '{TZ}')::date d FROM usage_events"
                " ORDER BY occurred_at LIMIT 1"
            )
        ).scalar_one()
        n_busy = db.session.execute(
            sa.text(
                f"SELECT count(*) FROM usage_events WHERE (occurred_at AT TIME ZONE '{TZ}')::date = :d"
            ),
            {"d": busy},
        ).scalar_one()

        def roll() -> int:
            rows = rollup_day(busy)
            db.session.commit()
            return rows

        rollup_ms, rollup_rows = timed(roll, 5)
        assert db.session.get(RollupRun, busy) is not None

        goals = all_goals()
        goals_ms, report = timed(lambda: goals_report(), args.runs)

        def cold_goals() -> Any:
            from caseflow.reports.rollup_cache import invalidate

            invalidate()  # as right after a rollup: every rollup figure read again
            return goals_report()

        cold_goals_ms, cold_report = timed(cold_goals, args.runs)
        assert cold_report == report
        raw_goals_ms, raw = timed(lambda: raw_goal_figures(goals), 3)
        for g in report:
            assert (g.baseline, g.current) == raw[g.slug], (
                g.slug,
                g.baseline,
                g.current,
                raw[g.slug],
            )

        last = today()
        first = (last.replace(day=1) - timedelta(days=335)).replace(day=1)

        def monthly() -> Counter[tuple[str, str]]:
            series = usage_series(["form_submitted"], first, last, by="eservice", group="month")
            return Counter({(period_label(p, "month"), k): n for (p, k), n in series.items()})

        usage_ms, ours = timed(monthly, args.runs)
        raw_usage_ms, theirs = timed(lambda: raw_monthly_by_eservice(first, last), 3)
        assert ours == theirs, "monthly usage differs from the raw GROUP BY"

        admin = db.session.execute(sa.select(User).limit(1)).scalar_one_or_none()
        if admin is None:
            from caseflow.auth.services import create_user

            admin = create_user(
                email="bench@example.se", password="bench-password-123", role="admin"
            )
            db.session.commit()
        from flask_login import FlaskLoginClient

        app.test_client_class = FlaskLoginClient
        client = app.test_client(user=admin)
        db.session.remove()

    # Requests outside the benchmark's app context: each gets its own app context, session and
    # user lookup, as under gunicorn.
    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    def timed_http(path: str) -> float:
        get(path)
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            get(path)
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    http_goals_ms = timed_http("/api/v1/reports/goals")
    http_usage_ms = timed_http(
        f"/api/v1/reports/usage?metric=form_submitted&by=eservice&group=month"
        f"&from={first}&to={last}"
    )

    print()
    print("| measurement | rollups (ms) | raw GROUP BY (ms) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| goals report, {len(goals)} goals (service) | {goals_ms:.1f} | {raw_goals_ms:.1f} | {raw_goals_ms / goals_ms:.0f}× |"
    )
    print(
        f"| goals report, rollup cache cold (service) | {cold_goals_ms:.1f} | {raw_goals_ms:.1f} | {raw_goals_ms / cold_goals_ms:.0f}× |"
    )
    print(
        f"| goals report over HTTP (`GET /api/v1/reports/goals`) | {http_goals_ms:.1f} | {raw_goals_ms:.1f} | {raw_goals_ms / http_goals_ms:.0f}× |"
    )
    print(
        f"| monthly usage by e-service, 12 months (service) | {usage_ms:.1f} | {raw_usage_ms:.1f} | {raw_usage_ms / usage_ms:.0f}× |"
    )
    print(
        f"| monthly usage over HTTP (`GET /api/v1/reports/usage`) | {http_usage_ms:.1f} | {raw_usage_ms:.1f} | {raw_usage_ms / http_usage_ms:.0f}× |"
    )
    print()
    print(
        f"rollup of one day with {n_busy:,} events: {rollup_ms:.0f} ms ({rollup_rows} rollup rows)"
    )
    print("figures identical: goals (baseline and current of every goal) and monthly usage")


if __name__ == "__main__":
    main()
