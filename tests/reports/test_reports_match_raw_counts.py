"""Report figures equal an independent count over the raw events the test wrote."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import timedelta

from caseflow.reports.periods import period_label, today
from caseflow.reports.rollup import rollup_day
from caseflow.usage.kinds import DIALOGUE_KINDS, FORM_SUBMITTED
from tests.factories import make_eservice
from tests.reports.conftest import add_events, local


def _random_events(staff, n_days: int = 70, seed: int = 6):
    """Events over the last ``n_days`` (today included); returns them as (kind, day, es, ch)."""
    rng = random.Random(seed)
    eservices = [make_eservice(staff.unit), make_eservice(staff.other_unit)]
    written = []
    for back in range(n_days):
        day = today() - timedelta(days=back)
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice([*DIALOGUE_KINDS, "eservice_view", "case_transition"])
            eservice = rng.choice([*eservices, None])
            channel = rng.choice(["webform", "facebook", "x", None])
            n = rng.randint(1, 3)
            at = local(day, rng.randint(0, 23), rng.randint(0, 59))
            add_events(
                kind,
                at,
                n,
                eservice_id=eservice.id if eservice else None,
                channel=channel,
                unit_id=eservice.unit_id if eservice else None,
            )
            written += [(kind, day, eservice.id if eservice else None, channel)] * n
    # Roll up every other past day: the report must mix rollups and raw events correctly.
    for back in range(1, n_days, 2):
        rollup_day(today() - timedelta(days=back))
    return written


def test_monthly_usage_by_eservice_equals_the_raw_count(staff, client_as) -> None:
    written = _random_events(staff)
    first = today() - timedelta(days=69)
    expected = Counter(
        (period_label(day.replace(day=1), "month"), str(es))
        for kind, day, es, _ch in written
        if kind == FORM_SUBMITTED and es is not None
    )
    response = client_as(staff.enhetschef).get(
        f"/api/v1/reports/usage?metric=form_submitted&by=eservice&group=month"
        f"&from={first}&to={today()}"
    )
    assert response.status_code == 200
    got = Counter({(r["period"], r["key"]): r["count"] for r in response.get_json()["items"]})
    assert got == expected


def test_weekly_dialogue_by_channel_csv_equals_the_raw_count(staff, client_as) -> None:
    written = _random_events(staff, seed=7)
    first = today() - timedelta(days=69)
    expected = Counter(
        (period_label(day - timedelta(days=day.weekday()), "week"), ch)
        for kind, day, _es, ch in written
        if kind in DIALOGUE_KINDS and ch is not None
    )
    response = client_as(staff.admin).get(
        f"/api/v1/reports/usage?metric=dialogue&by=channel&group=week&from={first}&to={today()}",
        headers={"Accept": "text/csv"},
    )
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert Counter({(r["period"], r["key"]): int(r["count"]) for r in rows}) == expected


def test_goal_current_value_equals_the_raw_count(staff, client_as) -> None:
    from caseflow.extensions import db
    from caseflow.reports.models import Goal

    written = _random_events(staff, seed=8)
    start = today() - timedelta(days=30)
    db.session.add(
        Goal(
            slug="dialog",
            title_sv="Mer dialog",
            title_en="More dialogue",
            metric="digital_dialogue",
            params={},
            baseline_start=today() - timedelta(days=69),
            baseline_end=start - timedelta(days=1),
            target_start=start,
            target_end=today() + timedelta(days=30),
            target_change=10.0,
            direction="increase",
        )
    )
    db.session.flush()
    expected_current = sum(1 for k, d, _e, _c in written if k in DIALOGUE_KINDS and d >= start)
    expected_baseline = sum(1 for k, d, _e, _c in written if k in DIALOGUE_KINDS and d < start)
    item = client_as(staff.enhetschef).get("/api/v1/reports/goals").get_json()["items"][0]
    assert (item["current"], item["baseline"]) == (expected_current, expected_baseline)


def test_dashboard_chart_table_equals_the_raw_count(staff, client_as) -> None:
    import re

    add = local(today() - timedelta(days=1), 10)
    add_events("social_inbound", add, 4, channel="facebook")
    add_events("citizen_reply", add, 3, channel="webform")
    html = client_as(staff.enhetschef).get("/rapporter").get_data(as_text=True)
    month = period_label((today() - timedelta(days=1)).replace(day=1), "month")
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html).group(1)
    columns = re.findall(r"<th scope=\"col\">(.*?)</th>", header)
    row = re.search(rf"<th scope=\"row\">{month}</th>(.*?)</tr>", html).group(1)
    cells = dict(zip(columns[1:], re.findall(r"<td>(.*?)</td>", row), strict=False))
    assert (cells["facebook"], cells["webform"]) == ("4", "3")
