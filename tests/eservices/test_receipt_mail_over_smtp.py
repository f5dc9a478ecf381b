"""The receipt e-mail goes out by a job to a real SMTP server (aiosmtpd on localhost)."""

from __future__ import annotations

from email.header import decode_header, make_header
from email.message import Message

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from tests.eservices.conftest import valid_form


def _case(eservice) -> Case:
    return db.session.execute(sa.select(Case).where(Case.eservice_id == eservice.id)).scalar_one()


def _body(message: Message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def test_receipt_mail_is_delivered_over_smtp_with_the_reference(client, eservice, smtp) -> None:
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 303
    case = _case(eservice)
    [(recipients, message)] = smtp.messages
    assert recipients == ["greta.gatlykta@example.se"]
    assert message["From"] == "e-tjanster@kommun.example"
    assert case.reference in str(make_header(decode_header(message["Subject"])))
    body = _body(message)
    assert case.reference in body
    assert f"/arende/{case.tracking_token}" in body
    assert "Gatukontoret" in body
    assert "811218" not in body
    mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
    assert (mail.status, mail.sent_at is not None) == ("sent", True)


def test_receipt_mail_is_english_when_the_form_was(client, eservice, smtp) -> None:
    client.post("/e-tjanster/felanmalan-test?lang=en", data=valid_form())
    [(_, message)] = smtp.messages
    body = _body(message)
    assert "Case number:" in body
    assert "Report a street fault" in body


def test_receipt_mail_is_sent_by_an_rq_worker_after_commit(
    client, eservice, smtp, rq_mode, run_worker
) -> None:
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert smtp.messages == []
    run_worker()
    [(_, message)] = smtp.messages
    assert _case(eservice).reference in _body(message)


def test_a_refused_recipient_is_a_visible_failure_not_a_retry(client, eservice, smtp) -> None:
    smtp.refuse.add("greta.gatlykta@example.se")
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 303
    mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
    assert mail.status == "failed"
    assert "SMTPRecipientsRefused" in mail.error
    assert smtp.messages == []
