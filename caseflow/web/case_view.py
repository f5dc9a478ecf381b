"""Reads for the case page and the case API: header facts and the full timeline."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.transitions import definition_of
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.messages.models import Attachment, Message
from caseflow.timeutil import local_date
from workflows import default_registry
from workflows.calendar import working_days_between


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return text


#: Timeline wording of audit actions (unknown actions are shown by name).
ACTION_LABELS = {
    "opened": N_("Ärendet registrerades"),
    "assigned": N_("Tilldelat"),
    "unassigned": N_("Tilldelningen togs bort"),
    "transition": N_("Statusändring"),
    "citizen_notified": N_("Medborgaren underrättades"),
    "message_sent": N_("Meddelandet levererades"),
    "message_failed": N_("Meddelandet kunde inte levereras"),
    "priority_changed": N_("Prioriteten ändrades"),
    "marked_duplicate": N_("Markerat som dubblett"),
    "duplicate_linked": N_("En dubblett kopplades hit"),
    "attachment_added": N_("Bilaga tillagd"),
    "protected_contact_viewed": N_("Skyddade kontaktuppgifter visades"),
    "overdue_flagged": N_("Handläggningstiden överskreds"),
    "delay_notice_sent": N_("Förseningsbesked skickades"),
    "social_item_attached": N_("Inlägg från sociala medier tillagt"),
}

#: Audit actions already shown through their message rows.
_MESSAGE_ACTIONS = {"message_received", "reply_posted", "note_added"}


@dataclass
class TimelineEntry:
    kind: str  # message | event
    at: datetime
    actor: str | None
    text: str | None = None
    direction: str | None = None
    channel: str | None = None
    delivery_status: str | None = None
    public: bool | None = None
    action: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    data: dict[str, Any] | None = None


def working_days_left(case: Case) -> int | None:
    """Working days until the due date (negative when overdue); ``None`` once decided."""
    if case.due_date is None or case.closed_at is not None or case.clock_stopped_at is not None:
        return None
    return working_days_between(local_date(utcnow()), case.due_date)


def state_name(case: Case, state: str | None, lang: str = "sv") -> str:
    """The label of any state of the case's workflow (the raw name if unknown)."""
    if not state:
        return ""
    try:
        found = definition_of(case).state(state)
    except KeyError:
        return state
    return found.label_en if lang == "en" else found.label_sv


def state_label(case: Any, lang: str = "sv") -> str:
    """The state's label in ``lang`` from the case's own workflow version."""
    return cached_state_label(case.workflow_key, case.workflow_version, case.state, lang)


@functools.cache
def cached_state_label(workflow_key: str, version: int, state_name: str, lang: str) -> str:
    """Workflow definitions are immutable per version, so a label is computed once per process."""
    try:
        state = default_registry().get(workflow_key, version).state(state_name)
    except KeyError:
        return state_name
    return state.label_en if lang == "en" else state.label_sv


def timeline(case: Case) -> list[TimelineEntry]:
    """Messages (with delivery status) and every audit event, oldest first, in three queries."""
    messages = list(
        db.session.execute(
            sa.select(Message).where(Message.case_id == case.id).order_by(Message.created_at)
        ).scalars()
    )
    events = list(
        db.session.execute(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.action.not_in(_MESSAGE_ACTIONS))
            .order_by(CaseEvent.at, CaseEvent.id)
        ).scalars()
    )
    user_ids = {m.author_id for m in messages if m.author_id} | {
        e.actor_id for e in events if e.actor_id
    }
    names = (
        dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    entries = [
        TimelineEntry(
            kind="message",
            at=m.created_at,
            actor=names.get(m.author_id)
            if m.author_id
            else ("medborgare" if m.direction == "inbound" else None),
            text=m.body,
            direction=m.direction,
            channel=m.channel,
            delivery_status=m.delivery_status,
            public=m.public,
            data={"error": m.delivery_error} if m.delivery_error else {},
        )
        for m in messages
    ]
    entries += [
        TimelineEntry(
            kind="event",
            at=e.at,
            actor=names.get(e.actor_id) if e.actor_id else e.actor_label,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            data=dict(e.data or {}),
        )
        for e in events
    ]
    entries.sort(key=lambda entry: entry.at)
    return entries


def attachments_of(case: Case) -> list[Attachment]:
    return list(
        db.session.execute(
            sa.select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
        ).scalars()
    )


def reference_of(case_id: int | None) -> str | None:
    if case_id is None:
        return None
    return db.session.execute(sa.select(Case.reference).where(Case.id == case_id)).scalar()
