"""Rollups, imported and historical figures, and goals: aggregate numbers, no personal data.

Rollups have no foreign keys on purpose: they outlive the retention of cases and events.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.cases.models import Case
from caseflow.db import Base, CreatedAtMixin, IdMixin, utcnow


class UsageRollup(Base):
    """One count per local day, metric and dimension value (``all`` has the key ``''``)."""

    __tablename__ = "usage_rollups"
    __table_args__ = (
        sa.PrimaryKeyConstraint("metric", "dimension", "day", "key", name="pk_usage_rollups"),
        sa.CheckConstraint(
            "dimension IN ('all', 'eservice', 'channel', 'unit')", name="dimension_known"
        ),
        sa.Index("ix_usage_rollups_day", "day"),
    )

    metric: Mapped[str] = mapped_column(sa.String(40))
    dimension: Mapped[str] = mapped_column(sa.String(10))
    day: Mapped[date] = mapped_column(sa.Date)
    #: The e-service or unit id, or the channel name; ``''`` for ``all``.
    key: Mapped[str] = mapped_column(sa.String(64))
    count: Mapped[int] = mapped_column(sa.BigInteger)


class RollupRun(Base):
    """A day whose rollup is complete; reports read raw events for days without one."""

    __tablename__ = "rollup_runs"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    events: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ExternalCount(Base):
    """A daily figure imported from another system (Matomo visits); re-imports overwrite."""

    __tablename__ = "external_counts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    metric: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class HistoricalFigure(IdMixin, CreatedAtMixin, Base):
    """A figure for a whole period entered by an admin (e.g. 2010 visits, before any data).

    When a goal's period matches it exactly, it is used instead of computing the period.
    """

    __tablename__ = "historical_figures"
    __table_args__ = (
        sa.UniqueConstraint("metric", "period_start", "period_end"),
        sa.CheckConstraint("period_end >= period_start", name="period_ordered"),
    )

    metric: Mapped[str] = mapped_column(sa.String(40))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[float] = mapped_column(sa.Float)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Goal(IdMixin, CreatedAtMixin, Base):
    """A measurable goal: metric, baseline and target periods, target change and direction."""

    __tablename__ = "goals"
    __table_args__ = (
        sa.CheckConstraint("direction IN ('increase', 'decrease')", name="direction"),
        sa.CheckConstraint("baseline_end >= baseline_start", name="baseline_ordered"),
        sa.CheckConstraint("target_end >= target_start", name="target_ordered"),
    )

    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title_sv: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    description_sv: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    metric: Mapped[str] = mapped_column(sa.String(40))
    #: Metric options, e.g. ``{"eservice": "felanmalan-gata"}``.
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    baseline_start: Mapped[date] = mapped_column(sa.Date)
    baseline_end: Mapped[date] = mapped_column(sa.Date)
    target_start: Mapped[date] = mapped_column(sa.Date)
    target_end: Mapped[date] = mapped_column(sa.Date)
    #: Target change in percent against the baseline, e.g. ``20.0`` (or ``-10.0``).
    target_change: Mapped[float] = mapped_column(sa.Float)
    direction: Mapped[str] = mapped_column(sa.String(10), default="increase")
    #: Shown on the open-data page and feed.
    public: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Goal {self.slug}>"


# The rollup reads one local day of openings, closings and delay notices from ``cases``, and
# reports read today's raw; these indexes keep that a range scan at a million cases.
_cases = Case.__table__
sa.Index("ix_cases_opened_at", _cases.c.opened_at)
sa.Index("ix_cases_closed_at", _cases.c.closed_at)
sa.Index("ix_cases_delay_notice_sent_at", _cases.c.delay_notice_sent_at)
