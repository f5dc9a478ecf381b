"""Append to the audit trail. Nothing here updates or deletes an event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caseflow.audit.models import CaseEvent
from caseflow.db import utcnow
from caseflow.extensions import db


def event_values(
    action: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "system",
    from_state: str | None = None,
    to_state: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of one event (without ``case_id``), for writers that insert it with Core
    in the statement that creates its case (``caseflow.cases.opening``)."""
    return {
        "action": action,
        "actor_id": actor_id,
        "actor_label": actor_label if actor_id is None else "user",
        "from_state": from_state,
        "to_state": to_state,
        "data": data or {},
        "at": at or utcnow(),
    }


def record_event(
    case_id: int,
    action: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "system",
    from_state: str | None = None,
    to_state: str | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case_id,
        **event_values(
            action,
            actor_id=actor_id,
            actor_label=actor_label,
            from_state=from_state,
            to_state=to_state,
            data=data,
        ),
    )
    db.session.add(event)
    return event
