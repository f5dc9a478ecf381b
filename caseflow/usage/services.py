"""Record usage events for goal tracking. Callers pass ids and kinds, never personal data."""

from __future__ import annotations

from datetime import datetime

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.usage.models import UsageEvent


def record_usage(
    kind: str,
    *,
    eservice_id: int | None = None,
    channel: str | None = None,
    unit_id: int | None = None,
    at: datetime | None = None,
) -> UsageEvent:
    event = UsageEvent(
        kind=kind,
        eservice_id=eservice_id,
        channel=channel,
        unit_id=unit_id,
        occurred_at=at or utcnow(),
    )
    db.session.add(event)
    return event
