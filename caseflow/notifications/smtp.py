"""The SMTP client, configured by ``CASEFLOW_SMTP_*``."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from caseflow.db import utcnow
from caseflow.notifications.models import OutboxMail

PERMANENT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def smtp_configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("SMTP_HOST"))


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def build_message(mail: OutboxMail, sender: str, domain: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow())
    # Deterministic per outbox row: a retried delivery carries the same Message-ID.
    message["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message


def send(mail: OutboxMail, config: Mapping[str, Any]) -> None:
    """Hand one mail to the SMTP server; raises ``smtplib.SMTPException`` or ``OSError``."""
    host = str(config["SMTP_HOST"])
    port = int(config.get("SMTP_PORT") or 25)
    sender = str(config.get("SMTP_FROM") or "caseflow@localhost")
    domain = sender.rpartition("@")[2] or "localhost"
    message = build_message(mail, sender, domain)
    with smtplib.SMTP(host, port, timeout=10) as client:
        if _truthy(config.get("SMTP_STARTTLS", False)):
            client.starttls()
        if config.get("SMTP_USER"):
            client.login(str(config["SMTP_USER"]), str(config.get("SMTP_PASSWORD") or ""))
        client.send_message(message)
