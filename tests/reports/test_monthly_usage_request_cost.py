"""The monthly usage request reads what changes (today's events, labels) and nothing else:
two statements of its own, and the JSON of closed months kept between requests without
ever serving a stale count or label."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from flask import g

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports import rollup_cache
from caseflow.reports.models import RollupRun, UsageRollupMonth
from caseflow.reports.periods import period_label, today
from caseflow.reports.rollup import refresh_months, rollup_day
from caseflow.usage.kinds import FORM_SUBMITTED
from tests.factories import make_eservice
from tests.reports.conftest import add_events, local
from tests.sql import recorded_statements

#: The session user's own statements (Flask-Login's loader: user and units), counted apart.
AUTH_TABLES = ("FROM users", "FROM user_units", "JOIN user_units")


def _month_start(back: int) -> date:
    month = today().replace(day=1)
    for _ in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _url(first: date) -> str:
    return (
        "/api/v1/reports/usage?metric=form_submitted&by=eservice&group=month"
        f"&from={first}&to={today()}"
    )


def _rolled_up_months(staff, *, today_events: bool = True):
    """Two e-services with events over three whole months and today, every past day rolled."""
    eservices = [make_eservice(staff.unit), make_eservice(staff.other_unit)]
    first = _month_start(3)
    written: Counter[tuple[str, str]] = Counter()
    for offset in range(0, (today() - first).days + 1, 4):
        day = first + timedelta(days=offset)
        for i, eservice in enumerate(eservices):
            add_events(FORM_SUBMITTED, local(day, 9), i + 1, eservice_id=eservice.id)
            written[(period_label(day.replace(day=1), "month"), str(eservice.id))] += i + 1
    if today_events:
        add_events(FORM_SUBMITTED, local(today(), 0, 5), 2, eservice_id=eservices[0].id)
        written[(period_label(today().replace(day=1), "month"), str(eservices[0].id))] += 2
    days = [first + timedelta(days=i) for i in range((today() - first).days)]
    for day in days:
        rollup_day(day, refresh_month=False)
    refresh_months(days)
    db.session.commit()
    return first, eservices, written


def _get(client, first: date) -> tuple[dict, list[str]]:
    """One request as a new app context starts it (no rollup generation yet), and the SQL
    statements it ran."""
    g.pop(rollup_cache.GENERATION_KEY, None)
    with recorded_statements(db.engine) as seen:
        response = client.get(_url(first))
    assert response.status_code == 200, response.get_json()
    return response.get_json(), seen


def _counts(body: dict) -> Counter[tuple[str, str]]:
    return Counter({(row["period"], row["key"]): row["count"] for row in body["items"]})


def test_a_warm_monthly_usage_request_runs_two_statements_of_its_own(staff, client_as) -> None:
    first, _eservices, written = _rolled_up_months(staff)
    client = client_as(staff.enhetschef)
    cold, _ = _get(client, first)
    warm, statements = _get(client, first)
    assert cold == warm
    assert _counts(warm) == written
    own = [s for s in statements if not any(table in s for table in AUTH_TABLES)]
    # The rollup generation with today's events, and the e-service labels; nothing per month.
    assert len(own) == 2, own
    (live,) = [s for s in own if "usage_events" in s]
    assert "rollup_runs" in live and "external_counts" in live
    assert not any("usage_rollups" in s for s in own)
    assert len(statements) <= 4, statements  # plus at most two for the session user


def test_an_event_today_shows_at_once_and_closed_months_keep_their_counts(staff, client_as) -> None:
    first, eservices, written = _rolled_up_months(staff)
    client = client_as(staff.admin)
    _get(client, first)
    add_events(FORM_SUBMITTED, local(today(), 0, 10), 5, eservice_id=eservices[1].id)
    db.session.commit()
    written[(period_label(today().replace(day=1), "month"), str(eservices[1].id))] += 5
    body, _ = _get(client, first)
    assert _counts(body) == written
    assert body["total"] == sum(written.values())
    assert [(r["period_start"], r["key"]) for r in body["items"]] == sorted(
        (r["period_start"], r["key"]) for r in body["items"]
    )


def test_a_renamed_eservice_is_labelled_anew_in_closed_months(staff, client_as) -> None:
    first, eservices, _written = _rolled_up_months(staff)
    client = client_as(staff.admin)
    before, _ = _get(client, first)
    assert {r["label"] for r in before["items"] if r["key"] == str(eservices[0].id)} == {
        eservices[0].title_sv
    }
    eservices[0].title_sv = "Bygglov för altan"
    db.session.commit()
    after, _ = _get(client, first)
    labels = {r["period"]: r["label"] for r in after["items"] if r["key"] == str(eservices[0].id)}
    assert len(labels) >= 3 and set(labels.values()) == {"Bygglov för altan"}


def test_json_and_csv_give_the_same_rows(staff, client_as) -> None:
    first, _eservices, _written = _rolled_up_months(staff)
    client = client_as(staff.admin)
    body, _ = _get(client, first)
    csv_text = client.get(_url(first) + "&format=csv").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0] == "period,period_start,key,label,count"
    assert lines[1:] == [
        f"{r['period']},{r['period_start']},{r['key']},{r['label']},{r['count']}"
        for r in body["items"]
    ]


def test_a_rollup_by_another_process_shows_on_a_day_without_events(staff, client_as) -> None:
    first, eservices, written = _rolled_up_months(staff, today_events=False)
    client = client_as(staff.admin)
    body, _ = _get(client, first)
    assert _counts(body) == written
    # Another worker re-rolls a day of the first month: its rows and run change, unannounced.
    db.session.execute(
        sa.update(UsageRollupMonth)
        .where(
            UsageRollupMonth.month == first,
            UsageRollupMonth.dimension == "eservice",
            UsageRollupMonth.key == str(eservices[0].id),
        )
        .values(count=UsageRollupMonth.count + 5)
    )
    db.session.execute(
        sa.update(RollupRun)
        .where(RollupRun.day == first)
        .values(finished_at=utcnow() + timedelta(seconds=1), events=RollupRun.events + 5)
    )
    db.session.commit()
    written[(period_label(first, "month"), str(eservices[0].id))] += 5
    body, _ = _get(client, first)
    assert _counts(body) == written
