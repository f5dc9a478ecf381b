"""Outgoing e-mail, kept as a record; in the embedded default it is the outbox itself."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, CreatedAtMixin, IdMixin


class OutboxMail(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "outbox_mails"
    __table_args__ = (
        # The mail sweeper reads only pending rows, oldest first (migration 0015).
        sa.Index(
            "ix_outbox_mails_pending_created",
            "created_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    #: ``pending``, ``sent`` (handed to SMTP), ``stored`` (no SMTP configured) or ``failed``.
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]
    #: Set for mails rendered by the delivery job rather than in the request: the dotted path
    #: of a ``(mail) -> (subject, body)`` function, and the language to render in.
    renderer: Mapped[str | None] = mapped_column(sa.String(200))
    language: Mapped[str | None] = mapped_column(sa.String(5))
