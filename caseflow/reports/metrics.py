"""Goal metrics: what each measures, whether it is a stock, a flow or a ratio, and its value.

Stocks are read at the period end, flows are summed over the period, ratios are computed
over the period. A historical figure entered for exactly the period wins over computing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import g

from caseflow.enums import Channel
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.reports import raw_days, rollup_cache, usage_queries
from caseflow.reports.counting import CASE_CLOSED, CASE_CLOSED_IN_TIME, CASE_OPENED
from caseflow.reports.goal_math import one_decimal
from caseflow.reports.models import HistoricalFigure
from caseflow.reports.periods import day_bounds
from caseflow.reports.sql import connection
from caseflow.usage.kinds import DIALOGUE_KINDS, SITE_VISIT

STOCK = "stock"
FLOW = "flow"
RATIO = "ratio"


@dataclass(frozen=True)
class Metric:
    key: str
    label_sv: str
    label_en: str
    kind: str
    unit: str  # "count" or "percent"
    compute: Callable[[date, date, dict[str, Any]], float | None]
    #: The usage counts (event kinds, case metrics) it is computed from, so a report can read
    #: today's of every goal at once; one left out is read when asked, never missed.
    usage: tuple[str, ...] = ()


_eservices = EService.__table__.c
#: When each e-service was published and retired: a few hundred rows at most, read once per
#: report (``raw_days.once``) for every date its goals ask about.
_PUBLICATIONS = sa.select(_eservices.published_at, _eservices.retired_at).where(
    _eservices.published_at.is_not(None)
)


def published_eservices(first: date, last: date, params: dict[str, Any]) -> float:
    """E-services published at the end of ``last`` (published before, not yet retired)."""
    moment = day_bounds(last)[1]
    publications = raw_days.once("publications", lambda: connection().execute(_PUBLICATIONS).all())
    return float(
        sum(
            1
            for published, retired in publications
            if published < moment and (retired is None or retired >= moment)
        )
    )


def website_visits(first: date, last: date, params: dict[str, Any]) -> float:
    """Matomo's daily visits where imported, else the beacon's daily unique visitors."""
    matomo = rollup_cache.imported("website_visits", "matomo", first, last)
    beacon = usage_queries.daily([SITE_VISIT], first, last)
    return float(sum(matomo.values()) + sum(n for day, n in beacon.items() if day not in matomo))


def digital_dialogue(first: date, last: date, params: dict[str, Any]) -> float:
    """Messages in digital channels: submissions, citizen replies, social in and out."""
    return float(sum(usage_queries.metric_totals(DIALOGUE_KINDS, first, last).values()))


def digital_case_share(first: date, last: date, params: dict[str, Any]) -> float | None:
    """Percent of the cases opened in the period that arrived through a digital channel."""
    counts = usage_queries.totals_by([CASE_OPENED], first, last, "channel")
    return share(sum(n for ch, n in counts.items() if is_digital(ch)), sum(counts.values()))


def cases_per_eservice(first: date, last: date, params: dict[str, Any]) -> float | None:
    """Cases of one e-service (``params.eservice``), or the average per published e-service."""
    counts = usage_queries.totals_by([CASE_OPENED], first, last, "eservice")
    slug = params.get("eservice")
    if slug:
        eservice_id = db.session.execute(
            sa.select(EService.id).where(EService.slug == slug)
        ).scalar_one_or_none()
        return float(counts.get(str(eservice_id), 0)) if eservice_id else None
    published = published_eservices(first, last, params)
    return one_decimal(sum(counts.values()) / published) if published else None


def sla_share(first: date, last: date, params: dict[str, Any]) -> float | None:
    """Percent of the cases closed in the period whose handling ended by the due date."""
    totals = usage_queries.metric_totals([CASE_CLOSED, CASE_CLOSED_IN_TIME], first, last)
    return share(totals[CASE_CLOSED_IN_TIME], totals[CASE_CLOSED])


def share(part: int, whole: int) -> float | None:
    return one_decimal(part / whole * 100) if whole else None


def is_digital(channel: str) -> bool:
    try:
        return Channel(channel).is_digital
    except ValueError:
        return True  # a channel added later (a new platform) is digital unless listed


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "published_eservices",
            "Publicerade e-tjänster",
            "Published e-services",
            STOCK,
            "count",
            published_eservices,
        ),
        Metric(
            "website_visits",
            "Besök på webbplatsen",
            "Website visits",
            FLOW,
            "count",
            website_visits,
            usage=(SITE_VISIT,),
        ),
        Metric(
            "digital_dialogue",
            "Dialog i digitala kanaler (meddelanden)",
            "Digital dialogue (messages)",
            FLOW,
            "count",
            digital_dialogue,
            usage=DIALOGUE_KINDS,
        ),
        Metric(
            "digital_case_share",
            "Andel ärenden via digitala kanaler",
            "Share of cases through digital channels",
            RATIO,
            "percent",
            digital_case_share,
            usage=(CASE_OPENED,),
        ),
        Metric(
            "cases_per_eservice",
            "Ärenden per e-tjänst",
            "Cases per e-service",
            FLOW,
            "count",
            cases_per_eservice,
            usage=(CASE_OPENED,),
        ),
        Metric(
            "sla_share",
            "Andel ärenden handlagda inom tidsgränsen",
            "Share of cases handled within the deadline",
            RATIO,
            "percent",
            sla_share,
            usage=(CASE_CLOSED, CASE_CLOSED_IN_TIME),
        ),
    )
}


FIGURES_KEY = "caseflow_historical_figures"
_figures = HistoricalFigure.__table__.c
_FIGURES = sa.select(_figures.metric, _figures.period_start, _figures.period_end, _figures.value)


def historical(metric: str, first: date, last: date) -> float | None:
    """An entered figure for exactly this period; the few figures are read once per context."""
    figures = g.get(FIGURES_KEY)
    if figures is None:
        rows = connection().execute(_FIGURES)
        figures = {(m, s, e): v for m, s, e, v in rows}
        setattr(g, FIGURES_KEY, figures)
    return figures.get((metric, first, last))


def forget_figures() -> None:
    g.pop(FIGURES_KEY, None)


def metric_value(
    key: str, first: date, last: date, params: dict[str, Any] | None = None
) -> float | None:
    """The value of metric ``key`` over ``first..last``: an entered figure, else computed."""
    entered = historical(key, first, last)
    if entered is not None:
        return entered
    return METRICS[key].compute(first, last, params or {})
