"""The citizen's status mail of a transition made while Redis is away is still delivered."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.transitions import transition_case
from caseflow.extensions import db
from caseflow.jobs import run_sweepers
from caseflow.notifications.models import OutboxMail
from tests.sweeping import assert_swept_once
from tests.transitions.conftest import Staff


def test_status_mail_of_a_transition_during_an_outage_is_swept_and_sent(
    staff: Staff, new_case, smtp, rq_mode, redis_outage, run_worker, monkeypatch
) -> None:
    case = new_case()
    db.session.commit()
    with redis_outage():
        change = transition_case(case, "register", actor=staff.registrator)
        db.session.commit()  # the mail and its event are committed with the change
    mail = db.session.execute(
        sa.select(OutboxMail).where(OutboxMail.case_id == case.id)
    ).scalar_one()
    assert mail.status == "pending"
    [notified] = db.session.execute(
        sa.select(CaseEvent.data).where(
            CaseEvent.case_id == case.id, CaseEvent.action == "citizen_notified"
        )
    ).scalars()
    assert notified["status_change_id"] == change.id

    assert_swept_once(rq_mode, monkeypatch, "mail")
    run_worker()

    [(recipients, message)] = smtp.messages
    assert recipients == [case.citizen.email]
    assert case.tracking_token in message.get_payload(decode=True).decode("utf-8")
    db.session.refresh(mail)
    assert mail.status == "sent"
    assert run_sweepers()["mail"] == 0
