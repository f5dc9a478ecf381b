"""The intake job's handler of registered Meta deliveries, one at a time or as a batch."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from caseflow.social.inbound import InboundPost
from caseflow.social.ingest import ingest_posts
from intake.channels.meta.parse import parse_delivery
from intake.models import IntakeItem
from intake.payloads import json_object
from intake.processors import ingest_parsed, record_outcome


def parse(item: IntakeItem) -> list[InboundPost]:
    """The delivery's posts. A body that is not JSON was signed by Meta and is kept as
    received; the error stays on the registration."""
    body = json_object(item.raw)
    return parse_delivery(
        body,
        page_id=current_app.config.get("META_PAGE_ID"),
        instagram_id=current_app.config.get("INSTAGRAM_ACCOUNT_ID"),
    )


def process_delivery(item: IntakeItem) -> None:
    """Split the delivery into items; one that holds nothing to act on is ``ignored``."""
    posts = parse(item)
    record_outcome(item, posts, ingest_posts(posts, intake_item_id=item.id))


def process_deliveries(items: Sequence[IntakeItem]) -> dict[int, Exception]:
    """Many deliveries in one batch (the drain job); returns the unreadable ones."""
    return ingest_parsed(items, parse)
