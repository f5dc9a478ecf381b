"""X (Twitter) Account Activity webhook: CRC, signatures, mentions and DMs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this channel's webhook blueprint and processor (called by intake.init_app)."""
