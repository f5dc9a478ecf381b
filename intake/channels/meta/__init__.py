"""Meta webhook: Facebook Page feed, Messenger and Instagram deliveries."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this channel's webhook blueprint and processor (called by intake.init_app)."""
