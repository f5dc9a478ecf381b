"""What a citizen is told about a case: receipt facts, tracking link, public state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext

from caseflow.cases.models import Case
from caseflow.eservices.display import current_language, localized
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.services import MailStatus, enqueue_delivery
from caseflow.timeutil import to_local


def tracking_url(case: Case) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/arende/{case.tracking_token}"


def _state(case: Case) -> Any | None:
    from workflows import default_registry

    registry = default_registry()
    try:
        definition = registry.get(case.workflow_key, case.workflow_version)
    except (AttributeError, KeyError, LookupError, TypeError):
        try:
            definition = registry.latest(case.workflow_key)
        except KeyError:
            return None
    try:
        return definition.state(case.state)
    except (KeyError, LookupError):
        return None


def public_state_label(case: Case) -> str:
    """The workflow's public label of the case's state, in the page's language."""
    state = _state(case)
    if state is None:
        return case.state
    sv = getattr(state, "public_label_sv", None)
    en = getattr(state, "public_label_en", None)
    if current_language() == "en" and en:
        return str(en)
    return str(sv or en or case.state)


def waits_for_citizen(case: Case) -> bool:
    """The case is paused until the citizen answers (the workflow's clock-pausing state)."""
    state = _state(case)
    return case.clock_paused_at is not None or bool(getattr(state, "pauses_clock", False))


def is_closed(case: Case) -> bool:
    state = _state(case)
    return case.closed_at is not None or bool(getattr(state, "final", False))


@dataclass(frozen=True)
class Receipt:
    reference: str
    received_at: datetime  # local time
    unit: str
    eservice: str
    handling_days: int
    due_date: date | None
    tracking_url: str


def receipt_for(case: Case) -> Receipt:
    return Receipt(
        reference=case.reference,
        received_at=to_local(case.opened_at),
        unit=case.unit.name,
        eservice=localized(case.eservice, "title") if case.eservice else case.title,
        handling_days=case.sla_days,
        due_date=case.due_date,
        tracking_url=tracking_url(case),
    )


def api_answer(case: Case) -> dict[str, Any]:
    """The JSON answer to a submission (kept whole for idempotent replays)."""
    return {
        "reference": case.reference,
        "tracking_url": tracking_url(case),
        "received_at": to_local(case.opened_at).isoformat(timespec="seconds"),
        "state": case.state,
        "due_date": case.due_date.isoformat() if case.due_date else None,
    }


# Built once (one compiled form); executed on the session's connection without the ORM layer.
_INSERT_RECEIPT_MAIL = sa.insert(OutboxMail.__table__).returning(OutboxMail.__table__.c.id)


def queue_receipt_mail(case: Case, to_address: str) -> None:
    """The receipt as an e-mail, in the language of the request that made the case.

    The delivery job renders it (``render_receipt_mail``): the diarienummer is given as the
    transaction's last write, after this row is queued.
    """
    # One Core ``INSERT ... RETURNING id`` instead of an ORM object and its flush: the row is
    # only read again by the delivery job.
    mail_id = (
        db.session.connection()
        .execute(
            _INSERT_RECEIPT_MAIL,
            {
                "case_id": case.id,
                "to_address": to_address,
                "subject": "",
                "body": "",
                "renderer": "caseflow.tracking.receipts.render_receipt_mail",
                "language": current_language(),
                "status": MailStatus.PENDING,
                "error": None,
                "sent_at": None,
            },
        )
        .scalar_one()
    )
    enqueue_delivery(mail_id, new_row=True)


def render_receipt_mail(mail: OutboxMail) -> tuple[str, str]:
    """Subject and body of a receipt mail (run by the delivery job, in the mail's language)."""
    case = db.session.get(Case, mail.case_id)
    if case is None:
        raise LookupError(f"receipt mail {mail.id} without its case")
    receipt = receipt_for(case)
    subject = gettext(
        "Kvittens: vi har tagit emot ditt ärende %(reference)s", reference=receipt.reference
    )
    return subject, render_template("eservices/receipt_mail.txt", receipt=receipt)
