"""The append-only audit trail of everything done to a case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, IdMixin, utcnow


class CaseEvent(IdMixin, Base):
    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case_at", "case_id", "at"),)

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    #: Null for the system or the citizen; ``actor_label`` says which.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(sa.String(50), default="system")
    action: Mapped[str] = mapped_column(sa.String(50))
    from_state: Mapped[str | None] = mapped_column(sa.String(50))
    to_state: Mapped[str | None] = mapped_column(sa.String(50))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
