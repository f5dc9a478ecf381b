"""HTML: the goals dashboard for unit leads and admins, and the public open-data page."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template
from flask_babel import get_locale, gettext

from caseflow.auth.access import require_role
from caseflow.enums import Role
from caseflow.reports import charts
from caseflow.reports.goal_math import STATUS_LABELS
from caseflow.reports.goals import goals_report
from caseflow.reports.periods import today
from caseflow.reports.raw_days import one_reading

bp = Blueprint("reports", __name__)


@bp.record_once
def _template_helpers(state) -> None:
    from flask_babel import format_decimal

    state.app.jinja_env.globals.setdefault("format_decimal", format_decimal)


def _lang() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "sv"


@bp.get("/rapporter")
@require_role(Role.ENHETSCHEF, Role.ADMIN)
def dashboard() -> str:
    """Goal cards and charts; every chart has its table."""
    now = today()
    first = (now.replace(day=1) - timedelta(days=335)).replace(day=1)
    with one_reading():
        return _dashboard(now, first)


def _dashboard(now: date, first: date) -> str:
    chart_list = [
        charts.dialogue_by_channel(
            first, now, gettext("Dialog i digitala kanaler per månad och kanal")
        ),
        charts.eservice_growth(
            now.year, gettext("Inskickade ärenden per e-tjänst, i år mot i fjol")
        ),
        charts.sla_by_month(first, now, gettext("Andel ärenden avslutade inom tidsgränsen")),
    ]
    return render_template(
        "reports/dashboard.html",
        goals=goals_report(),
        charts=chart_list,
        lang=_lang(),
        status_labels=STATUS_LABELS,
        as_of=now,
    )


@bp.get("/oppna-data")
def open_data() -> str:
    """The public goals' progress, as a page and as links to the JSON and CSV feed."""
    return render_template(
        "reports/open_data.html",
        goals=goals_report(public_only=True),
        lang=_lang(),
        status_labels=STATUS_LABELS,
        as_of=today(),
    )
