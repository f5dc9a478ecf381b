"""Server-rendered SVG charts (pygal, no scripts from anywhere) and the tables behind them.

Every chart comes with its data as a table, which is also the chart's text alternative.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pygal
import sqlalchemy as sa
from flask_babel import gettext
from pygal.style import Style

from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.reports.counting import CASE_CLOSED, CASE_CLOSED_IN_TIME
from caseflow.reports.metrics import share
from caseflow.reports.periods import period_label, period_start
from caseflow.reports.usage_queries import usage_series
from caseflow.usage.kinds import DIALOGUE_KINDS, FORM_SUBMITTED

STYLE = Style(
    background="white",
    plot_background="white",
    font_family="system-ui, sans-serif",
    colors=("#0b5394", "#b45f06", "#38761d", "#741b47", "#134f5c", "#7f6000", "#444444"),
)


@dataclass
class Chart:
    title: str
    svg_data_uri: str
    columns: list[str]
    rows: list[list[object]]


def _months(first: date, last: date) -> list[date]:
    out, d = [], period_start(first, "month")
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _uri(chart: pygal.graph.graph.Graph) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _config(title: str) -> dict[str, object]:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 800,
        "height": 360,
        "x_label_rotation": 30,
        "legend_at_bottom": True,
        "no_data_text": gettext("Inga uppgifter"),
    }


def dialogue_by_channel(first: date, last: date, title: str) -> Chart:
    """Digital dialogue messages per month and channel."""
    months = _months(first, last)
    series = usage_series(DIALOGUE_KINDS, first, last, by="channel", group="month")
    channels = sorted({key for _m, key in series})
    chart = pygal.Line(**_config(title))
    chart.x_labels = [period_label(m, "month") for m in months]
    for channel in channels:
        chart.add(channel, [series.get((m, channel), 0) for m in months])
    rows = [[period_label(m, "month"), *[series.get((m, c), 0) for c in channels]] for m in months]
    return Chart(title, _uri(chart), ["Månad / Month", *channels], rows)


def eservice_growth(year: int, title: str) -> Chart:
    """Submissions per e-service this year so far against the same days of last year."""
    from caseflow.reports.periods import today

    end = min(today(), date(year, 12, 31))
    this_year = usage_series([FORM_SUBMITTED], date(year, 1, 1), end, by="eservice", group="year")
    last_end = (
        end.replace(year=year - 1)
        if not (end.month == 2 and end.day == 29)
        else date(year - 1, 2, 28)
    )
    last_year = usage_series(
        [FORM_SUBMITTED], date(year - 1, 1, 1), last_end, by="eservice", group="year"
    )
    now = {key: n for (_p, key), n in this_year.items()}
    before = {key: n for (_p, key), n in last_year.items()}
    titles = dict(db.session.execute(sa.select(EService.id, EService.title_sv)).all())
    keys = sorted(set(now) | set(before), key=lambda k: titles.get(int(k), k) if k.isdigit() else k)
    names = [titles.get(int(k), k) if k.isdigit() else k for k in keys]
    chart = pygal.Bar(**_config(title))
    chart.x_labels = names
    chart.add(str(year - 1), [before.get(k, 0) for k in keys])
    chart.add(str(year), [now.get(k, 0) for k in keys])
    from caseflow.reports.goal_math import growth

    rows = [
        [name, before.get(k, 0), now.get(k, 0), growth(before.get(k, 0), now.get(k, 0))]
        for name, k in zip(names, keys, strict=True)
    ]
    return Chart(
        title, _uri(chart), ["E-tjänst / E-service", str(year - 1), str(year), "Tillväxt %"], rows
    )


def sla_by_month(first: date, last: date, title: str) -> Chart:
    """Share of cases closed within the deadline, per month of closing."""
    months = _months(first, last)
    series = usage_series([CASE_CLOSED], first, last, group="month")
    in_time = usage_series([CASE_CLOSED_IN_TIME], first, last, group="month")
    values: dict[date, tuple[int, int, float | None]] = defaultdict(lambda: (0, 0, None))
    for m in months:
        closed, ok = series.get((m, ""), 0), in_time.get((m, ""), 0)
        values[m] = (closed, ok, share(ok, closed))
    chart = pygal.Line(**_config(title), range=(0, 100))
    chart.x_labels = [period_label(m, "month") for m in months]
    chart.add("%", [values[m][2] for m in months])
    rows = [[period_label(m, "month"), *values[m]] for m in months]
    return Chart(
        title,
        _uri(chart),
        ["Månad / Month", "Avslutade / Closed", "Inom tid / In time", "Andel % / Share %"],
        rows,
    )
