"""Mail delivery job: sends one outbox row once."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.notifications import smtp
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.services import MailStatus

log = logging.getLogger(__name__)


def send_mail(mail_id: int) -> None:
    """Deliver a pending mail; a sent, stored or failed one is left alone.

    A refused recipient or sender is final (status ``failed`` with the reason); a connection
    problem is re-raised so RQ retries with back-off.
    """
    mail = db.session.execute(
        sa.select(OutboxMail).where(OutboxMail.id == mail_id).with_for_update()
    ).scalar_one_or_none()
    if mail is None or mail.status != MailStatus.PENDING:
        return
    if mail.renderer and not mail.body:
        _render(mail)
    config = current_app.config
    if not smtp.smtp_configured(config):
        mail.status = MailStatus.STORED
        db.session.commit()
        return
    try:
        smtp.send(mail, config)
    except smtp.PERMANENT as exc:
        mail.status = MailStatus.FAILED
        mail.error = f"{type(exc).__name__}: {str(exc)[:500]}"
        db.session.commit()
        log.warning("mail %s refused by the SMTP server", mail_id)
        return
    except Exception as exc:
        db.session.rollback()
        _note_retry(mail_id, exc)
        raise
    mail.status = MailStatus.SENT
    mail.error = None
    mail.sent_at = utcnow()
    db.session.commit()


def _render(mail: OutboxMail) -> None:
    """Fill in subject and body with the mail's renderer, in the mail's language."""
    from flask_babel import force_locale
    from werkzeug.utils import import_string

    renderer = import_string(mail.renderer)
    with force_locale(mail.language or "sv"):
        subject, body = renderer(mail)
    mail.subject = subject[:300]
    mail.body = body


def _note_retry(mail_id: int, error: BaseException) -> None:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is not None:
        mail.error = f"retrying: {type(error).__name__}: {str(error)[:400]}"
        db.session.commit()
