"""Cases (ärenden), their per-register serial counters and state history."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.citizens.models import Citizen
from caseflow.db import Base, CreatedAtMixin, IdMixin, utcnow
from caseflow.eservices.models import EService
from caseflow.units.models import Unit


class Case(IdMixin, Base):
    __tablename__ = "cases"
    __table_args__ = (
        sa.CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name="priority"),
        sa.CheckConstraint("closed_at IS NULL OR closed_at >= opened_at", name="closed_after_open"),
        sa.CheckConstraint("duplicate_of_id IS NULL OR duplicate_of_id <> id", name="not_self_dup"),
        sa.CheckConstraint(
            "clock_paused_at IS NULL OR clock_stopped_at IS NULL", name="clock_paused_or_stopped"
        ),
        sa.CheckConstraint(
            "closed_at IS NULL OR clock_paused_at IS NULL", name="closed_not_paused"
        ),
        sa.Index("ix_cases_unit_state_opened", "unit_id", "state", "opened_at"),
        sa.Index("ix_cases_unit_opened_id", "unit_id", "opened_at", "id"),
        # Search by year and serial (``2026/42``; ``caseflow.web.search``).
        sa.Index("ix_cases_serial", "serial_year", "serial"),
    )

    #: Display form, e.g. ``KS 2026/0042``.
    reference: Mapped[str] = mapped_column(sa.String(50), unique=True)
    #: URL-safe form, e.g. ``KS-2026-0042``; lookups normalise to this.
    reference_key: Mapped[str] = mapped_column(sa.String(50), unique=True)
    serial_year: Mapped[int]
    serial: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    eservice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("eservices.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(20), index=True)
    citizen_id: Mapped[int | None] = mapped_column(sa.ForeignKey("citizens.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    workflow_key: Mapped[str] = mapped_column(sa.String(50))
    workflow_version: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(sa.String(50))
    priority: Mapped[str] = mapped_column(sa.String(10), default="normal")
    #: Expected handling time in working days, copied from the e-service when opened.
    sla_days: Mapped[int] = mapped_column(default=10)
    due_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    #: Set while the workflow clock is paused (waiting for the citizen).
    clock_paused_at: Mapped[datetime | None]
    #: Set when the handling clock stopped (decided, answered, fixed); a reopening clears it.
    clock_stopped_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    overdue_flagged_at: Mapped[datetime | None]
    delay_notice_sent_at: Mapped[datetime | None]
    six_month_warned_at: Mapped[datetime | None]
    #: Unguessable token of the citizen's tracking link (the reference alone is never enough).
    tracking_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Sekretessmarkering: contact details shown only to roles allowed to see them.
    secret: Mapped[bool] = mapped_column(default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    #: Set when the case was opened by a private individual (FL § 12 six-month warning).
    opened_by_individual: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    eservice: Mapped[EService | None] = relationship()
    citizen: Mapped[Citizen | None] = relationship()

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.state}>"


class CaseSequence(Base):
    """Last serial handed out per unit and year; its row lock makes numbering gap-free."""

    __tablename__ = "case_sequences"

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class CaseNumbering(Base):
    """A diarienummer still to be given, by the database as the transaction commits.

    PostgreSQL only: a case opened with ``reference_later`` gets one row, written with the
    case; a deferred trigger (migration ``0013``) takes the unit's serial inside ``COMMIT``,
    writes the reference and deletes the row. The counter row is then locked for the commit
    alone, not for round trips from a busy application process. The row holds the pattern
    around the serial (``references.split_pattern``); the table is empty between transactions.
    """

    __tablename__ = "case_numbering"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    before: Mapped[str] = mapped_column(sa.String(50))
    width: Mapped[int]
    after: Mapped[str] = mapped_column(sa.String(50))
    key_before: Mapped[str] = mapped_column(sa.String(50))
    key_after: Mapped[str] = mapped_column(sa.String(50))


class CaseStatusChange(IdMixin, CreatedAtMixin, Base):
    """One row per state change; the source for time-in-state reports."""

    __tablename__ = "case_status_changes"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    transition: Mapped[str | None] = mapped_column(sa.String(50))
    from_state: Mapped[str | None] = mapped_column(sa.String(50))
    to_state: Mapped[str] = mapped_column(sa.String(50))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
