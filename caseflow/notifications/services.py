"""Queue e-mail: a row in ``outbox_mails`` now, delivery by a job after commit.

The row is the record of what was sent. With SMTP configured (``CASEFLOW_SMTP_HOST``) the job
hands it to the server; without, the row is kept with status ``stored`` and admins read it on
the outbox page: the embedded default never needs a mail server.
"""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.jobs import enqueue
from caseflow.notifications.models import OutboxMail


class MailStatus:
    PENDING = "pending"
    SENT = "sent"
    STORED = "stored"
    FAILED = "failed"


def queue_mail(
    to_address: str, subject: str, body: str, *, case_id: int | None = None
) -> OutboxMail:
    """Record a mail and send it by a job once the transaction commits."""
    mail = OutboxMail(
        case_id=case_id,
        to_address=to_address,
        subject=subject[:300],
        body=body,
        status=MailStatus.PENDING,
    )
    db.session.add(mail)
    db.session.flush()
    _enqueue_delivery(mail)
    return mail


def queue_rendered_mail(
    to_address: str, renderer: str, *, language: str, case_id: int | None = None
) -> OutboxMail:
    """Record a mail that the delivery job renders (``renderer(mail) -> (subject, body)``),
    for mails whose content is only final once the request's transaction is (a receipt with
    the diarienummer given last). The rendered text is kept on the row."""
    mail = OutboxMail(
        case_id=case_id,
        to_address=to_address,
        subject="",
        body="",
        renderer=renderer,
        language=language,
        status=MailStatus.PENDING,
    )
    db.session.add(mail)
    _enqueue_delivery(mail)
    return mail


def _enqueue_delivery(mail: OutboxMail) -> None:
    """Send after commit; the job takes the row's id (flushed now or at the next flush)."""
    if mail.id is None:
        db.session.flush()
    enqueue_delivery(mail.id)


def enqueue_delivery(mail_id: int, *, new_row: bool = False) -> None:
    """Send the ``outbox_mails`` row ``mail_id`` by a job once the transaction commits (for
    callers that insert the row themselves, without an ORM object). ``new_row``: the row was
    inserted in this transaction, so no job for it can exist yet."""
    enqueue(
        "caseflow.notifications.tasks.send_mail",
        mail_id,
        queue="outbound",
        job_id=f"mail-{mail_id}",
        network=True,
        new_id=new_row,
    )
