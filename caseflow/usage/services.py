"""Record usage events for goal tracking. Callers pass ids and kinds, never personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    eservice: Any = None,
    unit: Any = None,
) -> UsageEvent:
    """Add one usage event to the session (flushed with the caller's transaction).

    Pass either ids (``eservice_id``, ``unit_id``) or objects (``eservice``, ``unit``); an
    e-service also fills in its unit. The signature is shared by every area: keep it stable.
    """
    if not kind or len(kind) > 40:
        raise ValueError(f"usage kind must be 1-40 characters, got {kind!r}")
    if eservice is not None:
        eservice_id = eservice_id or eservice.id
        unit_id = unit_id or eservice.unit_id
    if unit is not None:
        unit_id = unit_id or unit.id
    event = UsageEvent(
        kind=kind,
        eservice_id=eservice_id,
        channel=str(channel) if channel is not None else None,
        unit_id=unit_id,
        occurred_at=at or utcnow(),
    )
    db.session.add(event)
    return event
