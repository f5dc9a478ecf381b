"""E-service forms: the public HTML form and the JSON submission API (channels webform, api)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.enums import Channel
    from caseflow.extensions import api
    from caseflow.jobs import register_periodic
    from intake.channels.webform import submission
    from intake.channels.webform.api import blp
    from intake.channels.webform.views import bp
    from intake.processors import register_processor

    app.register_blueprint(bp)
    api.register_blueprint(blp)
    for channel in (Channel.WEBFORM, Channel.API):
        register_processor(app, channel, submission.process_registered)
    register_periodic(
        app, "purge-submission-keys", submission.purge_expired_keys, every_seconds=3600
    )
