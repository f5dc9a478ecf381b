"""Wire workflows into the app: the API blueprint and the periodic deadline checks."""

from __future__ import annotations

from flask import Flask

from caseflow.extensions import api


def init_workflows(app: Flask) -> None:
    from caseflow.cases import deadlines
    from caseflow.cases.workflow_api import blp

    api.register_blueprint(blp)
    deadlines.init_app(app)
