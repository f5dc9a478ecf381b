"""Usage events for goal tracking: what happened, where and when; never who."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, IdMixin, utcnow


class UsageEvent(IdMixin, Base):
    __tablename__ = "usage_events"
    __table_args__ = (sa.Index("ix_usage_events_kind_at", "kind", "occurred_at"),)

    #: e.g. ``eservice_view``, ``form_submitted``, ``citizen_reply``, ``social_inbound``.
    kind: Mapped[str] = mapped_column(sa.String(40))
    eservice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("eservices.id"))
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
