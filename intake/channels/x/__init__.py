"""X (Twitter) Account Activity webhook: CRC, signatures, mentions and DMs, and replies."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this channel's webhook blueprint and processor (called by intake.init_app).

    Without ``CASEFLOW_X_CONSUMER_SECRET`` the webhook answers 404; say so at start-up.
    """
    from caseflow.messages.services import register_sender
    from caseflow.social.platform import register_moderator
    from intake.channels.x import client
    from intake.channels.x.processor import process_deliveries, process_delivery
    from intake.channels.x.views import CHANNEL, bp
    from intake.processors import register_processor

    app.register_blueprint(bp)
    register_processor(app, CHANNEL, process_delivery, process_deliveries)
    register_sender(app, "x", client.send)
    register_moderator(app, "x", client.moderate)
    if not app.config.get("X_CONSUMER_SECRET"):
        app.logger.warning(
            "X webhook disabled: CASEFLOW_X_CONSUMER_SECRET is not set (answers 404)"
        )
