"""The ``notify_citizen`` effect: the status mail and its ``citizen_notified`` event.

Both are written in the transition's own transaction (a transactional outbox): once the
transition commits, the mail is a ``pending`` outbox row that the mail sweeper delivers even
if its job is lost, and the event says the citizen was notified. Nothing is owed that is not
written down.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from caseflow.audit.models import CaseEvent
from caseflow.audit.services import record_event
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.cases.references import PENDING_PREFIX
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.services import queue_mail, queue_rendered_mail
from workflows import State, default_registry

NOTIFIED = "citizen_notified"


def status_mail(case: Case, state: State) -> tuple[str, str]:
    """Subject and body: the public status, Swedish first; no case content, only a link."""
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/arende/{case.tracking_token}"
    subject = f"Ärende {case.reference}: {state.public_label_sv} / {state.public_label_en}"
    body = (
        f"Ditt ärende {case.reference} har fått ny status: {state.public_label_sv}.\n"
        f"Följ ärendet här: {link}\n\n"
        f"Your case {case.reference} has a new status: {state.public_label_en}.\n"
        f"Follow the case here: {link}\n"
    )
    return subject, body


def already_notified(case_id: int, change_id: int) -> bool:
    done = db.session.execute(
        sa.select(CaseEvent.data).where(CaseEvent.case_id == case_id, CaseEvent.action == NOTIFIED)
    ).scalars()
    return any(data.get("status_change_id") == change_id for data in done)


def notify_citizen(case: Case, change: CaseStatusChange, state: State) -> OutboxMail | None:
    """Queue the status mail and record ``citizen_notified`` (flushes, never commits).

    Citizens without an e-mail address see the status on the tracking page (and any message
    the caseworker wrote went out on the case's channel with the transition): ``None``.
    """
    citizen = case.citizen
    if citizen is None or not citizen.email:
        return None
    if case.reference.startswith(PENDING_PREFIX):
        # Opened in this transaction: its diarienummer is given at commit, so the delivery
        # job renders the text (``render_status_mail``) from the event written below.
        mail = queue_rendered_mail(citizen.email, RENDERER, language="sv", case_id=case.id)
    else:
        subject, body = status_mail(case, state)
        mail = queue_mail(citizen.email, subject, body, case_id=case.id)
    record_event(
        case.id,
        NOTIFIED,
        data={"status_change_id": change.id, "channel": "email", "mail_id": mail.id},
    )
    return mail


RENDERER = "caseflow.cases.notices.render_status_mail"


def render_status_mail(mail: OutboxMail) -> tuple[str, str]:
    """The status mail of a case numbered at commit, rendered by the delivery job: the
    ``citizen_notified`` event written with the mail names its status change."""
    assert mail.case_id is not None
    events = db.session.execute(
        sa.select(CaseEvent.data).where(
            CaseEvent.case_id == mail.case_id, CaseEvent.action == NOTIFIED
        )
    ).scalars()
    change_id = next(data["status_change_id"] for data in events if data.get("mail_id") == mail.id)
    change = db.session.get(CaseStatusChange, change_id)
    case = db.session.get(Case, mail.case_id)
    assert change is not None and case is not None
    return status_mail(case, state_of(case, change))


def state_of(case: Case, change: CaseStatusChange) -> State:
    """The state a change moved to, in the workflow version the case was opened with."""
    return default_registry().get(case.workflow_key, case.workflow_version).state(change.to_state)
