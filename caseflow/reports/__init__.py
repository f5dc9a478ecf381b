"""Goal tracking: usage counting, visits, daily rollups, goals, case KPIs and reports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this area's models, blueprints, CLI commands and jobs (``create_app``)."""
    from caseflow.cli import cli
    from caseflow.jobs import register_periodic
    from caseflow.reports import models  # noqa: F401
    from caseflow.reports.api import bp as api_bp
    from caseflow.reports.cli import matomo_import_command, rollup_command
    from caseflow.reports.views import bp as views_bp
    from caseflow.usage.views import bp as visits_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(views_bp)
    app.register_blueprint(visits_bp)
    cli.add_command(rollup_command)
    cli.add_command(matomo_import_command)
    every = int(app.config.get("ROLLUP_EVERY_SECONDS") or 3600)
    register_periodic(app, "rollup", "caseflow.reports.rollup.run_rollups", every, "reports")
    register_periodic(
        app, "matomo-import", "caseflow.reports.matomo.import_recent", every, "reports"
    )
