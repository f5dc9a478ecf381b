"""Jobs that carry out workflow effects after the transition has committed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from caseflow.audit.models import CaseEvent
from caseflow.audit.services import record_event
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.cases.transitions import definition_of
from caseflow.extensions import db

NOTIFIED = "citizen_notified"


def status_mail(case: Case, change: CaseStatusChange) -> tuple[str, str]:
    """Subject and body: the public status, Swedish first; no case content, only a link."""
    state = definition_of(case).state(change.to_state)
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/arende/{case.tracking_token}"
    subject = f"Ärende {case.reference}: {state.public_label_sv} / {state.public_label_en}"
    body = (
        f"Ditt ärende {case.reference} har fått ny status: {state.public_label_sv}.\n"
        f"Följ ärendet här: {link}\n\n"
        f"Your case {case.reference} has a new status: {state.public_label_en}.\n"
        f"Follow the case here: {link}\n"
    )
    return subject, body


def notify_citizen_of_transition(change_id: int) -> None:
    """The ``notify_citizen`` effect: e-mail the citizen the new public status, once.

    Citizens without an e-mail address see the status on the tracking page (and any message
    the caseworker wrote went out on the case's channel with the transition).
    """
    from caseflow.notifications.services import queue_mail

    change = db.session.get(CaseStatusChange, change_id)
    if change is None:
        return
    case = db.session.execute(
        sa.select(Case).where(Case.id == change.case_id).with_for_update()
    ).scalar_one()
    done = db.session.execute(
        sa.select(CaseEvent.data).where(CaseEvent.case_id == case.id, CaseEvent.action == NOTIFIED)
    ).scalars()
    if any(data.get("status_change_id") == change_id for data in done):
        return
    citizen = case.citizen
    if citizen is None or not citizen.email:
        return
    subject, body = status_mail(case, change)
    queue_mail(citizen.email, subject, body, case_id=case.id)
    record_event(case.id, NOTIFIED, data={"status_change_id": change_id, "channel": "email"})
    db.session.commit()
