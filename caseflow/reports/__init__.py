"""Goal tracking: usage counting, visits, daily rollups, goals, case KPIs and reports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this area's models, blueprints and jobs (called by ``create_app``)."""
    from caseflow.reports import models  # noqa: F401
