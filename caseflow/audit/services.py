"""Append to the audit trail. Nothing here updates or deletes an event."""

from __future__ import annotations

from typing import Any

from caseflow.audit.models import CaseEvent
from caseflow.extensions import db


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
        action=action,
        actor_id=actor_id,
        actor_label=actor_label if actor_id is None else "user",
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
    db.session.add(event)
    return event
