"""Messages on a case: inbound, outbound replies sent by a job, internal notes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the sweeper of undelivered replies (called by ``create_app``)."""
    from caseflow.jobs import register_sweeper
    from caseflow.messages.sweeper import sweep_queued_messages

    register_sweeper(app, "messages", sweep_queued_messages)
