"""The intake job's handler of registered X deliveries, one at a time or as a batch."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from caseflow.social.inbound import InboundPost
from caseflow.social.ingest import ingest_posts
from intake.channels.x.parse import parse_delivery
from intake.models import IntakeItem
from intake.payloads import json_object
from intake.processors import ingest_parsed, record_outcome


def parse(item: IntakeItem) -> list[InboundPost]:
    body = json_object(item.raw)
    return parse_delivery(body, user_id=current_app.config.get("X_USER_ID"))


def process_delivery(item: IntakeItem) -> None:
    posts = parse(item)
    record_outcome(item, posts, ingest_posts(posts, intake_item_id=item.id))


def process_deliveries(items: Sequence[IntakeItem]) -> dict[int, Exception]:
    """Many deliveries in one batch (the drain job); returns the unreadable ones."""
    return ingest_parsed(items, parse)
