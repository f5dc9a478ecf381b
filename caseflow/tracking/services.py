"""The citizen's answer or complement (komplettering) on the tracking page."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import current_app

from caseflow.audit.services import record_event
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.transitions import CitizenActor, transition_case
from caseflow.enums import Channel
from caseflow.errors import Conflict
from caseflow.eservices.attachments import store_attachments
from caseflow.eservices.fields import CleanFile
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.messages.services import add_inbound_message
from caseflow.notifications.services import queue_mail
from caseflow.tracking.receipts import is_closed, waits_for_citizen
from caseflow.usage.services import record_usage
from workflows import GuardFailed, RoleNotAllowed, TransitionNotAllowed

log = logging.getLogger(__name__)
COMPLEMENTED = "complemented"


def complement_case(
    case: Case, body: str, files: Sequence[CleanFile] = (), *, channel: str = Channel.WEBFORM
) -> Message:
    """Record what the citizen wrote as an inbound message, notify, and resume the case.

    The assignee gets an e-mail (no message text in it: the case is read in Caseflow); an
    unassigned case gets an audit event the unit's queue shows. When the case was waiting for
    the citizen, the workflow's ``complemented`` transition fires.
    """
    if is_closed(case):
        raise Conflict("Ärendet är avslutat. Gör en ny anmälan om du vill ta upp frågan igen.")
    message = add_inbound_message(case, body, channel=channel, citizen_id=case.citizen_id)
    store_attachments(files, case_id=case.id, message_id=message.id)
    record_usage(
        "citizen_reply", eservice_id=case.eservice_id, channel=channel, unit_id=case.unit_id
    )
    _notify_assignee(case, message)
    if waits_for_citizen(case):
        _resume(case, message)
    db.session.flush()
    return message


def _notify_assignee(case: Case, message: Message) -> None:
    assignee = db.session.get(User, case.assignee_id) if case.assignee_id else None
    if assignee is None or not assignee.active:
        record_event(
            case.id, "complement_unassigned", actor_label="citizen", data={"message_id": message.id}
        )
        return
    base = current_app.config["BASE_URL"].rstrip("/")
    queue_mail(
        assignee.email,
        f"Nytt meddelande från medborgaren i ärende {case.reference}",
        (
            f"Medborgaren har svarat eller kompletterat i ärende {case.reference}.\n\n"
            f"Läs meddelandet i Caseflow: {base}/\n\n"
            "Meddelandets text skickas inte med e-post."
        ),
        case_id=case.id,
    )
    record_event(
        case.id,
        "assignee_notified",
        actor_label="citizen",
        data={"message_id": message.id, "user_id": assignee.id},
    )


def _resume(case: Case, message: Message) -> None:
    """Fire ``complemented`` through the only writer of case state, as the citizen.

    A workflow without that transition from the current state (or a guard that does not hold)
    leaves the case as it is, with an audit event saying why: the message is kept either way.
    """
    try:
        transition_case(
            case, COMPLEMENTED, actor=CitizenActor(citizen_id=case.citizen_id), message=message
        )
    except (TransitionNotAllowed, RoleNotAllowed, GuardFailed) as exc:
        log.info("case %s: %s not fired (%s)", case.id, COMPLEMENTED, type(exc).__name__)
        record_event(
            case.id,
            "complement_transition_skipped",
            actor_label="citizen",
            data={"message_id": message.id, "reason": type(exc).__name__},
        )
