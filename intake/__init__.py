"""Every way in: channel adapters that register inbound documents and hand them to caseflow."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register intake's blueprints, processors and sweeper (called by ``create_app``)."""
    from caseflow.jobs import register_sweeper
    from intake import tasks
    from intake.channels.open311.views import bp as open311_bp

    app.extensions.setdefault("intake_processors", {})
    app.register_blueprint(open311_bp)
    register_sweeper(app, "intake", tasks.sweep_unprocessed)

    from intake.channels import webform

    webform.init_app(app)

    from intake.channels import meta, x

    meta.init_app(app)
    x.init_app(app)
