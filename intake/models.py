"""The registration of every inbound document, written before anything else happens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, IdMixin, utcnow


class IntakeStatus(StrEnum):
    RECEIVED = "received"  # registered, waiting for its job
    PROCESSED = "processed"  # turned into cases/messages/items
    TRIAGE = "triage"  # in the social inbox, waiting for a person
    IGNORED = "ignored"  # our own posts, echoes, deliveries with nothing to act on
    DISMISSED = "dismissed"
    FAILED = "failed"  # processing raised; the error is stored, the sweeper retries


class IntakeItem(IdMixin, Base):
    __tablename__ = "intake_items"
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id"),
        sa.Index("ix_intake_items_status_received", "status", "received_at"),
    )

    channel: Mapped[str] = mapped_column(sa.String(20))
    #: The platform's id for this document (delivery hash, message id, submission id).
    external_id: Mapped[str] = mapped_column(sa.String(200))
    #: ``delivery`` (a webhook body kept whole) or the kind of item split from it.
    kind: Mapped[str] = mapped_column(sa.String(30), default="delivery")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("intake_items.id"), index=True)
    raw: Mapped[bytes] = mapped_column(sa.LargeBinary)
    headers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: Normalised fields extracted by the channel parser (text, author, thread ids, ...).
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(12), default=IntakeStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    processed_at: Mapped[datetime | None]
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)

    def __repr__(self) -> str:
        return f"<IntakeItem {self.id} {self.channel} {self.status}>"
