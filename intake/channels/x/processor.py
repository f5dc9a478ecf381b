"""The intake job's handler of a registered X delivery."""

from __future__ import annotations

import json

from flask import current_app

from caseflow.social.services import ingest_posts
from intake.channels.x.parse import parse_delivery
from intake.models import IntakeItem, IntakeStatus


def process_delivery(item: IntakeItem) -> None:
    body = json.loads(item.raw)
    if not isinstance(body, dict):
        raise ValueError("delivery is not a JSON object")
    posts = parse_delivery(body, user_id=current_app.config.get("X_USER_ID"))
    created = ingest_posts(posts, intake_item_id=item.id)
    data = dict(item.data or {})
    data.update({"posts": len(posts), "created": created})
    item.data = data
    if not posts:
        item.status = IntakeStatus.IGNORED
