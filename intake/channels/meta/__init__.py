"""Meta webhook: Facebook Page feed, Messenger and Instagram deliveries, and replies."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this channel's webhook blueprint and processor (called by intake.init_app).

    Without ``CASEFLOW_META_APP_SECRET`` the webhook answers 404; say so once at start-up.
    """
    from caseflow.messages.services import register_sender
    from caseflow.social.platform import register_moderator
    from intake.channels.meta import client
    from intake.channels.meta.processor import process_deliveries, process_delivery
    from intake.channels.meta.views import CHANNEL, bp
    from intake.processors import register_processor

    app.register_blueprint(bp)
    register_processor(app, CHANNEL, process_delivery, process_deliveries)
    register_sender(app, "facebook", client.send_facebook)
    register_sender(app, "messenger", client.send_messenger)
    register_sender(app, "instagram", client.send_instagram)
    register_moderator(app, "facebook", client.moderate)
    register_moderator(app, "instagram", client.moderate)
    if not app.config.get("META_APP_SECRET"):
        app.logger.warning(
            "Meta webhook disabled: CASEFLOW_META_APP_SECRET is not set (answers 404)"
        )
    elif not app.config.get("META_VERIFY_TOKEN"):
        app.logger.warning("Meta webhook handshake disabled: CASEFLOW_META_VERIFY_TOKEN is not set")
