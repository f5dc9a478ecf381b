"""Usage events for goal tracking: what happened, where and when; never who.

Visits from the beacon are counted without storing who visited: a visitor is recognised for
one local day by a hash salted with that day's random salt, and salts and hashes of past days
are deleted by the rollup job, so nothing links a visitor across days or back to an address.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db import Base, IdMixin, utcnow


class UsageEvent(IdMixin, Base):
    __tablename__ = "usage_events"
    __table_args__ = (
        sa.Index("ix_usage_events_kind_at", "kind", "occurred_at"),
        # The rollup job reads one local day across all kinds; reports read today's events
        # of a few kinds, picked inside the index by its second column.
        sa.Index("ix_usage_events_occurred_at_kind", "occurred_at", "kind"),
    )

    #: e.g. ``eservice_view``, ``form_submitted``, ``citizen_reply``, ``social_inbound``.
    kind: Mapped[str] = mapped_column(sa.String(40))
    eservice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("eservices.id"))
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class VisitSalt(Base):
    """The random salt of one local day's visitor hashes; deleted once the day is over."""

    __tablename__ = "visit_salts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    salt: Mapped[str] = mapped_column(sa.String(64))


class VisitorDigest(Base):
    """A visitor seen on ``day``: only a salted hash, so the same visitor counts once a day."""

    __tablename__ = "visitor_digests"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
