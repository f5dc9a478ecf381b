"""Outgoing e-mail, kept as a record; in the embedded default it is the outbox itself."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the outbox pages and the sweeper of unsent mail (called by ``create_app``)."""
    from caseflow.jobs import register_sweeper
    from caseflow.notifications.sweeper import sweep_pending_mails
    from caseflow.notifications.views import bp

    app.register_blueprint(bp)
    register_sweeper(app, "mail", sweep_pending_mails)
