"""Per-channel processors: what a registered item turns into (cases, messages, triage).

A channel registers a processor for one item and may register a batch processor that the
drain job uses for many deliveries at once (``ingest_parsed`` builds one from a parser).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, current_app

from caseflow.social.inbound import InboundPost
from caseflow.social.ingest import ingest_batch
from intake.models import IntakeItem, IntakeStatus

Processor = Callable[[IntakeItem], None]
BatchProcessor = Callable[[Sequence[IntakeItem]], dict[int, Exception]]
"""Processes many items; returns the failures that wrote nothing, by item id (the caller
marks those failed and the others processed). Any exception raised fails the whole batch."""
Parser = Callable[[IntakeItem], list[InboundPost]]


def register_processor(
    app: Flask, channel: str, processor: Processor, batch: BatchProcessor | None = None
) -> None:
    app.extensions.setdefault("intake_processors", {})[channel] = processor
    if batch is not None:
        app.extensions.setdefault("intake_batch_processors", {})[channel] = batch


def processor_for(channel: str) -> Processor:
    processors: dict[str, Processor] = current_app.extensions.get("intake_processors", {})
    try:
        return processors[channel]
    except KeyError:
        raise LookupError(f"no processor registered for channel {channel!r}") from None


def batch_processor_for(channel: str) -> BatchProcessor | None:
    batches: dict[str, BatchProcessor] = current_app.extensions.get("intake_batch_processors", {})
    return batches.get(channel)


def record_outcome(item: IntakeItem, posts: Sequence[InboundPost], created: int) -> None:
    """What a delivery held; one that holds nothing to act on is ``ignored``."""
    data = dict(item.data or {})
    data.update({"posts": len(posts), "created": created})
    item.data = data
    if not posts:
        item.status = IntakeStatus.IGNORED


def ingest_parsed(items: Sequence[IntakeItem], parse: Parser) -> dict[int, Exception]:
    """Parse every delivery (one that cannot be read fails alone, having written nothing),
    then ingest all their posts as one batch."""
    failures: dict[int, Exception] = {}
    parsed: list[tuple[IntakeItem, list[InboundPost]]] = []
    for item in items:
        try:
            parsed.append((item, parse(item)))
        except Exception as exc:  # kept on the registration by the caller
            failures[item.id] = exc
    created = ingest_batch([(item.id, posts) for item, posts in parsed])
    for (item, posts), count in zip(parsed, created, strict=True):
        record_outcome(item, posts, count)
    return failures
