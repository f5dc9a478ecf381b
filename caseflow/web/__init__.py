"""The caseworker web UI and the case JSON API: sign-in, inbox, case page, administration."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this area's models, blueprints and jobs (called by ``create_app``)."""
    from caseflow.web import models  # noqa: F401
