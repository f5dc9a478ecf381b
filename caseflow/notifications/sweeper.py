"""Re-enqueue mails still ``pending`` that a crash or a Redis outage left without a job.

A mail keeps being retried at every sweep while the SMTP server is away (RQ's own retries
stop after ``JOB_RETRY_INTERVALS``). After ``MAIL_GIVE_UP_DAYS`` it is marked ``failed`` with
the reason instead: a receipt or status mail that late would mislead more than help, and a
failed row is visible on the outbox page, where a pending one looks like work in progress.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.services import MailStatus, enqueue_delivery
from caseflow.sweeping import left_behind

log = logging.getLogger(__name__)


def sweep_pending_mails() -> int:
    """Sweeper ``mail``: give up on mails pending too long, re-enqueue the rest; returns how
    many were re-enqueued (a job already waiting for its row is not duplicated)."""
    give_up_stale_mails()
    ids = left_behind(OutboxMail, OutboxMail.status == MailStatus.PENDING)
    for mail_id in ids:
        enqueue_delivery(mail_id)
    return len(ids)


def give_up_stale_mails() -> int:
    """Mark mails pending for more than ``MAIL_GIVE_UP_DAYS`` failed, keeping the last error.

    Rows a delivery job holds locked are skipped (PostgreSQL): that job decides them.
    """
    days = int(current_app.config["MAIL_GIVE_UP_DAYS"])
    if days <= 0:
        return 0
    stale = db.session.execute(
        sa.select(OutboxMail)
        .where(
            OutboxMail.status == MailStatus.PENDING,
            OutboxMail.created_at < utcnow() - timedelta(days=days),
        )
        .order_by(OutboxMail.created_at, OutboxMail.id)
        .limit(int(current_app.config["SWEEP_BATCH"]))
        .with_for_update(skip_locked=True)
    ).scalars()
    count = 0
    for mail in stale:
        last = f"; last: {mail.error}" if mail.error else ""
        mail.status = MailStatus.FAILED
        mail.error = f"gave up: not sent within {days} days{last}"[:1000]
        count += 1
    if count:
        db.session.flush()
        log.warning("gave up on %d mails pending for more than %d days", count, days)
    return count
