"""Social media triage inbox, moderation (BBS-lagen) and replies back through the channel."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this area's models, blueprints and jobs (called by ``create_app``)."""
    from caseflow.extensions import api
    from caseflow.jobs import register_sweeper
    from caseflow.social import models  # noqa: F401
    from caseflow.social.api import blp
    from caseflow.social.sweeper import sweep_queued_moderations

    api.register_blueprint(blp)
    register_sweeper(app, "moderation", sweep_queued_moderations)
