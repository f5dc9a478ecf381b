"""Mail a Redis outage or exhausted retries left ``pending`` is swept and delivered over SMTP."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.jobs import get_queue, run_sweepers
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.sweeper import sweep_pending_mails
from tests.eservices.conftest import valid_form
from tests.smtp import Inbox, free_port
from tests.sweeping import assert_swept_once


def _mail() -> OutboxMail:
    mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
    db.session.refresh(mail)
    return mail


def test_receipt_left_by_a_redis_outage_is_swept_once_and_delivered(
    client, eservice, smtp, redis_outage, run_worker, monkeypatch, caplog
) -> None:
    with redis_outage():
        response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 303  # the citizen's submission is not lost with Redis
    assert "enqueue failed" in caplog.text
    assert _mail().status == "pending"

    assert_swept_once(client.application, monkeypatch, "mail")
    run_worker()

    [(recipients, message)] = smtp.messages
    assert recipients == ["greta.gatlykta@example.se"]
    reference = db.session.execute(sa.select(Case.reference)).scalar_one()
    assert reference in message.get_payload(decode=True).decode("utf-8")
    assert _mail().status == "sent"
    assert run_sweepers()["mail"] == 0
    run_worker()
    assert len(smtp.messages) == 1


def test_mail_whose_retries_ran_out_is_delivered_once_smtp_is_back(
    client, eservice, rq_mode, run_worker, monkeypatch
) -> None:
    config = client.application.config
    monkeypatch.setitem(config, "JOB_RETRY_INTERVALS", "0")  # one immediate retry, then failed
    monkeypatch.setitem(config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(config, "SMTP_PORT", 1)  # nothing listens: connection refused
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    run_worker()
    mail = _mail()
    assert mail.status == "pending"
    assert mail.error.startswith("retrying: ConnectionRefusedError")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        monkeypatch.setitem(config, "SMTP_PORT", controller.port)
        assert sweep_pending_mails() == 1  # the failed job is replaced, not counted as waiting
        db.session.commit()
        run_worker()
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert (_mail().status, _mail().error) == ("sent", None)


def _pending(to: str, age: timedelta, error: str | None = None) -> OutboxMail:
    mail = OutboxMail(
        to_address=to,
        subject="Kvitto",
        body="Tack.",
        status="pending",
        error=error,
        created_at=utcnow() - age,
    )
    db.session.add(mail)
    db.session.flush()
    return mail


def test_mail_pending_for_days_is_marked_failed_with_its_last_error(
    app, smtp, rq_mode, run_worker
) -> None:
    old = _pending("a@example.se", timedelta(days=8), "retrying: ConnectionRefusedError: x")
    recent = _pending("b@example.se", timedelta(days=2))
    db.session.commit()
    assert sweep_pending_mails() == 1  # only the recent one is sent again
    db.session.commit()
    run_worker()
    db.session.refresh(old)
    db.session.refresh(recent)
    assert old.status == "failed"
    assert old.error == (
        "gave up: not sent within 7 days; last: retrying: ConnectionRefusedError: x"
    )
    assert recent.status == "sent"
    assert [rcpt for rcpt, _ in smtp.messages] == [["b@example.se"]]


def test_giving_up_can_be_switched_off(app, rq_mode, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_GIVE_UP_DAYS", 0)
    old = _pending("a@example.se", timedelta(days=30))
    db.session.commit()
    assert sweep_pending_mails() == 1
    db.session.commit()
    db.session.refresh(old)
    assert old.status == "pending"


def test_one_run_takes_the_oldest_batch(app, rq_mode, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SWEEP_BATCH", 2)
    mails = [_pending(f"{n}@example.se", timedelta(minutes=10 - n)) for n in range(3)]
    db.session.commit()
    assert sweep_pending_mails() == 2
    db.session.commit()
    queued = get_queue("outbound").get_jobs()
    assert sorted(job.args[0] for job in queued) == [mails[0].id, mails[1].id]
