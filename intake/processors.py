"""Per-channel processors: what a registered item turns into (cases, messages, triage)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from intake.models import IntakeItem

Processor = Callable[[IntakeItem], None]


def register_processor(app: Flask, channel: str, processor: Processor) -> None:
    app.extensions.setdefault("intake_processors", {})[channel] = processor


def processor_for(channel: str) -> Processor:
    processors: dict[str, Processor] = current_app.extensions.get("intake_processors", {})
    try:
        return processors[channel]
    except KeyError:
        raise LookupError(f"no processor registered for channel {channel!r}") from None
