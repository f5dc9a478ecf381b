"""Demo data for goal tracking: the three Uppsala 2011 goals, with figures worth looking at.

Uppsala's 2011 goals were +20 % e-services, +20 % visits to the website and more dialogue in
digital channels. The demo measures them last year against this year, so the dashboard shows
one goal met, one on track and one that is behind, depending on the day it is opened.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.reports.models import ExternalCount, Goal
from caseflow.reports.periods import today
from caseflow.reports.rollup import rollup_day

GOALS = [
    (
        "fler-e-tjanster",
        "Antalet e-tjänster ska öka med 20 %",
        "The number of e-services shall grow by 20 %",
        "published_eservices",
        20.0,
    ),
    (
        "fler-besok-webbplatsen",
        "Besöken på webbplatsen ska öka med 20 %",
        "Visits to the website shall grow by 20 %",
        "website_visits",
        20.0,
    ),
    (
        "mer-digital-dialog",
        "Dialogen i digitala kanaler ska öka",
        "Dialogue in digital channels shall grow",
        "digital_dialogue",
        10.0,
    ),
]

#: (slug, sv, en, days since published, days since retired or None)
EXTRA_ESERVICES = [
    ("anmalan-matavfall", "Anmälan om matavfall", "Food waste registration", 600, 200),
    ("parkeringstillstand", "Ansökan om parkeringstillstånd", "Parking permit", 500, None),
    ("bokning-lokal", "Boka kommunal lokal", "Book a municipal venue", 120, None),
    ("cykelparkering", "Önska cykelparkering", "Request bicycle parking", 60, None),
]


def seed_goal_demo(now: datetime, rng: random.Random, eservices: list[EService]) -> int:
    """Goals, extra e-services, two years of imported visits, and the rollups; returns days
    rolled up."""
    year = today().year
    for position, (slug, sv, en, metric, change) in enumerate(GOALS):
        if db.session.execute(sa.select(Goal.id).where(Goal.slug == slug)).first():
            continue
        db.session.add(
            Goal(
                slug=slug,
                title_sv=sv,
                title_en=en,
                description_sv="Ett av Uppsala kommuns mål från 2011, mätt i år mot i fjol.",
                description_en="One of Uppsala's 2011 goals, measured this year against last.",
                metric=metric,
                params={},
                baseline_start=date(year - 1, 1, 1),
                baseline_end=date(year - 1, 12, 31),
                target_start=date(year, 1, 1),
                target_end=date(year, 12, 31),
                target_change=change,
                direction="increase",
                public=True,
                position=position,
            )
        )
    template = eservices[0]
    for slug, sv, en, published, retired in EXTRA_ESERVICES:
        if db.session.execute(sa.select(EService.id).where(EService.slug == slug)).first():
            continue
        db.session.add(
            EService(
                slug=slug,
                title_sv=sv,
                title_en=en,
                unit_id=template.unit_id,
                workflow_key="arende",
                handling_days=10,
                form=template.form,
                published_at=now - timedelta(days=published),
                retired_at=now - timedelta(days=retired) if retired else None,
            )
        )
    _visits(now, rng)
    db.session.flush()
    end = today() - timedelta(days=1)
    day = end - timedelta(days=730)
    while day <= end:
        rollup_day(day)
        day += timedelta(days=1)
    return 731


def _visits(now: datetime, rng: random.Random) -> None:
    """Daily website visits as Matomo would report them: weekly rhythm, ~20 % yearly growth."""
    first = today() - timedelta(days=730)
    existing = set(
        db.session.execute(
            sa.select(ExternalCount.day).where(ExternalCount.metric == "website_visits")
        ).scalars()
    )
    rows = []
    for i in range(730):
        day = first + timedelta(days=i)
        if day in existing:
            continue
        base = 3000 * (1 + 0.25 * i / 365) * (0.6 if day.weekday() >= 5 else 1.0)
        visits = int(base * rng.uniform(0.9, 1.1))
        rows.append({"day": day, "metric": "website_visits", "source": "matomo", "value": visits})
        rows.append(
            {
                "day": day,
                "metric": "unique_visitors",
                "source": "matomo",
                "value": int(visits * 0.8),
            }
        )
    if rows:
        now_rows = [{**r, "imported_at": now} for r in rows]
        db.session.execute(sa.insert(ExternalCount), now_rows)
