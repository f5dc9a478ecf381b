"""The intake job's handler of a registered Meta delivery."""

from __future__ import annotations

import json

from flask import current_app

from caseflow.social.services import ingest_posts
from intake.channels.meta.parse import parse_delivery
from intake.models import IntakeItem, IntakeStatus


def process_delivery(item: IntakeItem) -> None:
    """Split the delivery into items; one that holds nothing to act on is ``ignored``.

    A body that is not JSON was signed by Meta and is kept as received; the error stays
    on the registration.
    """
    body = json.loads(item.raw)
    if not isinstance(body, dict):
        raise ValueError("delivery is not a JSON object")
    posts = parse_delivery(
        body,
        page_id=current_app.config.get("META_PAGE_ID"),
        instagram_id=current_app.config.get("INSTAGRAM_ACCOUNT_ID"),
    )
    created = ingest_posts(posts, intake_item_id=item.id)
    data = dict(item.data or {})
    data.update({"posts": len(posts), "created": created})
    item.data = data
    if not posts:
        item.status = IntakeStatus.IGNORED
