"""Import daily website visits from Matomo's Reporting API (``VisitsSummary.get``).

The token goes in the POST body, never in a URL, and is scrubbed from every error message,
so it cannot reach a log, a job's failure record or an exception report. A day's import
overwrites that day's figures, so re-running an import is harmless.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import requests
import sqlalchemy as sa
from flask import current_app

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports.models import ExternalCount
from caseflow.reports.periods import today

log = logging.getLogger(__name__)

SOURCE = "matomo"
#: Our metric name -> Matomo's column.
COLUMNS = {"website_visits": "nb_visits", "unique_visitors": "nb_uniq_visitors"}


class MatomoError(RuntimeError):
    """Matomo answered with an error or with something that is not its JSON."""


def _settings() -> tuple[str, str, str] | None:
    config = current_app.config
    url, site, token = (
        config.get("MATOMO_URL"),
        config.get("MATOMO_SITE_ID"),
        config.get("MATOMO_TOKEN"),
    )
    if not (url and site and token):
        return None
    return str(url), str(site), str(token)


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "[token]") if token else text


def fetch(first: date, last: date) -> dict[date, dict[str, int]]:
    """Matomo's daily figures for ``first..last`` (one request: ``period=day`` over a range)."""
    settings = _settings()
    if settings is None:
        raise MatomoError("Matomo is not configured (CASEFLOW_MATOMO_URL, _SITE_ID, _TOKEN).")
    base, site, token = settings
    endpoint = base if base.endswith(".php") else urljoin(base.rstrip("/") + "/", "index.php")
    params = {
        "module": "API",
        "method": "VisitsSummary.get",
        "idSite": site,
        "period": "day",
        "date": f"{first.isoformat()},{last.isoformat()}",
        "format": "JSON",
    }
    try:
        response = requests.post(endpoint, params=params, data={"token_auth": token}, timeout=30)
        response.raise_for_status()
        payload = response.json()
    except (requests.RequestException, ValueError) as exc:
        # requests puts the URL in its messages; the token is not in it, but scrub anyway.
        raise MatomoError(_scrub(f"{type(exc).__name__}: {exc}", token)) from None
    if isinstance(payload, dict) and payload.get("result") == "error":
        raise MatomoError(_scrub(f"Matomo error: {payload.get('message', '')}", token))
    if not isinstance(payload, dict):
        raise MatomoError("Matomo answered with an unexpected shape.")
    return parse(payload)


def parse(payload: dict[str, Any]) -> dict[date, dict[str, int]]:
    """``{"2026-01-01": {"nb_visits": 12, ...}, "2026-01-02": [] }`` -> figures per day.

    Matomo answers ``[]`` for a day without visits: that day counts 0.
    """
    out: dict[date, dict[str, int]] = {}
    for key, row in payload.items():
        try:
            day = date.fromisoformat(key)
        except ValueError as exc:
            raise MatomoError(f"unexpected key {key[:20]!r} in Matomo's answer") from exc
        row = row if isinstance(row, dict) else {}
        out[day] = {metric: int(row.get(column) or 0) for metric, column in COLUMNS.items()}
    return out


def store(figures: dict[date, dict[str, int]]) -> int:
    """Upsert each day's figures: a re-import of a day replaces it."""
    now = utcnow()
    for day, values in figures.items():
        for metric, value in values.items():
            row = db.session.get(ExternalCount, (day, metric, SOURCE))
            if row is None:
                db.session.add(
                    ExternalCount(
                        day=day, metric=metric, source=SOURCE, value=value, imported_at=now
                    )
                )
            else:
                row.value, row.imported_at = value, now
    db.session.flush()
    return len(figures)


def import_days(first: date, last: date) -> int:
    """Fetch and store ``first..last``; returns the number of days stored."""
    return store(fetch(first, last))


def import_recent() -> int:
    """Scheduled job: yesterday (final) and today (so far); does nothing when not configured."""
    if _settings() is None:
        return 0
    end = today()
    days = import_days(end - timedelta(days=1), end)
    db.session.commit()
    log.info("imported %d days of Matomo visits", days)
    return days


def imported_days(first: date, last: date) -> set[date]:
    return set(
        db.session.execute(
            sa.select(ExternalCount.day).where(
                ExternalCount.source == SOURCE, ExternalCount.day.between(first, last)
            )
        ).scalars()
    )
