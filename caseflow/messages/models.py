"""Messages on a case: inbound from the citizen, outbound replies, internal notes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, CreatedAtMixin, IdMixin


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class DeliveryStatus(StrEnum):
    NONE = "none"  # inbound messages and notes
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Message(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "messages"
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id"),
        sa.CheckConstraint("direction IN ('inbound', 'outbound', 'internal')", name="direction"),
        sa.CheckConstraint(
            "delivery_status IN ('none', 'queued', 'sent', 'failed')", name="delivery_status"
        ),
        sa.CheckConstraint("direction <> 'internal' OR public = false", name="notes_not_public"),
        sa.Index("ix_messages_case_created", "case_id", "created_at"),
        # The messages sweeper reads only queued rows, oldest first (migration 0015).
        sa.Index(
            "ix_messages_queued_created",
            "created_at",
            postgresql_where=sa.text("delivery_status = 'queued'"),
            sqlite_where=sa.text("delivery_status = 'queued'"),
        ),
    )

    #: Null for a recorded dialogue that never became a case (a triage reply).
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    intake_item_id: Mapped[int | None] = mapped_column(index=True)
    direction: Mapped[str] = mapped_column(sa.String(10))
    channel: Mapped[str] = mapped_column(sa.String(20))
    body: Mapped[str] = mapped_column(sa.Text)
    #: Shown to the citizen on the tracking page.
    public: Mapped[bool] = mapped_column(default=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    citizen_id: Mapped[int | None] = mapped_column(sa.ForeignKey("citizens.id"))
    #: The platform's id (comment id, Messenger mid, tweet id) once known.
    external_id: Mapped[str | None] = mapped_column(sa.String(200))
    #: What an outbound message replies to on the platform (comment id, recipient id, ...).
    reply_to_external_id: Mapped[str | None] = mapped_column(sa.String(200))
    delivery_status: Mapped[str] = mapped_column(sa.String(10), default=DeliveryStatus.NONE)
    delivery_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]


class Attachment(IdMixin, CreatedAtMixin, Base):
    """A file stored outside the web root; only metadata and a storage key live here."""

    __tablename__ = "attachments"

    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
