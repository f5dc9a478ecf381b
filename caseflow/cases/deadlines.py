"""Handling-time deadlines: overdue flags, delay notices (FL § 11) and six-month warnings (§ 12).

Förvaltningslagen (2017:900) § 11: when a case opened by an individual will be substantially
delayed, the authority must tell the party and give the reason. A periodic job flags running
cases whose due date has passed; each flag starts that duty, and ``overdue_without_notice``
lists the cases where it is still unmet. § 12: after six months without a decision the party
may demand one, so cases opened by individuals are flagged a while before that day.

The clock "runs" while a case is open, not paused (waiting for the citizen) and not stopped
(decided, answered, fixed); see ``caseflow.cases.transitions``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from caseflow.audit.services import record_event
from caseflow.auth.access import visible_cases_clause
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.transitions import check_unit
from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.errors import Conflict, Forbidden, ValidationFailed
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.timeutil import local_date

#: Days before the six-month mark (FL § 12) at which a case is flagged.
DEFAULT_SIX_MONTH_WARNING_DAYS = 30
DELAY_NOTICE_ROLES = frozenset({Role.HANDLAGGARE, Role.ENHETSCHEF, Role.REGISTRATOR})
MAX_REASON = 2000


def clock_running() -> sa.ColumnElement[bool]:
    """Open, not waiting for the citizen, not decided."""
    return sa.and_(
        Case.closed_at.is_(None), Case.clock_paused_at.is_(None), Case.clock_stopped_at.is_(None)
    )


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --- periodic checks -----------------------------------------------------------------------


def flag_overdue_cases(now: datetime | None = None) -> list[int]:
    """Flag running cases whose due date has passed; returns the ids flagged now.

    A case is flagged once per deadline: a new deadline (reopening, resuming past the old
    date) clears the flag, so a later delay is a new duty.
    """
    now = now or utcnow()
    today = local_date(now)
    cases = db.session.execute(
        sa.select(Case)
        .where(clock_running(), Case.due_date < today, Case.overdue_flagged_at.is_(None))
        .order_by(Case.id)
        .with_for_update(skip_locked=True)
    ).scalars()
    flagged = []
    for case in cases:
        case.overdue_flagged_at = now
        record_event(
            case.id,
            "overdue_flagged",
            data={
                "due_date": case.due_date.isoformat() if case.due_date else None,
                "delay_notice_required": case.opened_by_individual,
            },
        )
        flagged.append(case.id)
    db.session.flush()
    return flagged


def six_month_date(case: Case) -> date:
    return add_months(local_date(case.opened_at), 6)


def warn_six_months(now: datetime | None = None, warning_days: int | None = None) -> list[int]:
    """Flag undecided cases opened by individuals that near six months (FL § 12)."""
    now = now or utcnow()
    if warning_days is None:
        warning_days = int(
            current_app.config.get("SIX_MONTH_WARNING_DAYS", DEFAULT_SIX_MONTH_WARNING_DAYS)
        )
    today = local_date(now)
    # Six months are at least 181 days; narrow in SQL, decide exactly per case.
    earliest = now - timedelta(days=181 - warning_days)
    cases = db.session.execute(
        sa.select(Case)
        .where(
            Case.opened_by_individual.is_(True),
            Case.closed_at.is_(None),
            Case.clock_stopped_at.is_(None),
            Case.six_month_warned_at.is_(None),
            Case.opened_at <= earliest,
        )
        .order_by(Case.id)
        .with_for_update(skip_locked=True)
    ).scalars()
    warned = []
    for case in cases:
        limit = six_month_date(case)
        if today < limit - timedelta(days=warning_days):
            continue
        case.six_month_warned_at = now
        record_event(case.id, "six_month_warning", data={"six_months_on": limit.isoformat()})
        warned.append(case.id)
    db.session.flush()
    return warned


def run_deadline_checks() -> dict[str, int]:
    """Periodic job: flag overdue cases and six-month warnings, then commit once."""
    result = {"overdue": len(flag_overdue_cases()), "six_months": len(warn_six_months())}
    db.session.commit()
    return result


def init_app(app: Flask) -> None:
    from caseflow.jobs import register_periodic

    register_periodic(app, "deadlines", run_deadline_checks, every_seconds=3600)


# --- the delay notice ----------------------------------------------------------------------


def delay_notice_text(case: Case, reason: str, expected_by: date | None) -> str:
    """Swedish first, then English; the reason in the caseworker's own words."""
    sv = [
        f"Förseningsbesked för ärende {case.reference}.",
        "Handläggningen av ditt ärende tar längre tid än vi räknat med.",
        f"Anledning: {reason}",
    ]
    en = [
        f"Notice of delay for case {case.reference}.",
        "Handling your case is taking longer than we expected.",
        f"Reason: {reason}",
    ]
    if expected_by is not None:
        sv.append(f"Vi räknar med att kunna avgöra ärendet senast {expected_by.isoformat()}.")
        en.append(f"We expect to decide the case by {expected_by.isoformat()}.")
    return "\n".join(sv) + "\n\n" + "\n".join(en)


def send_delay_notice(
    case: Case, reason: str, actor: User | None, *, expected_by: date | None = None
) -> Message:
    """Tell the citizen the case is delayed and why (FL § 11); fulfils the overdue duty.

    The notice is a public outbound message on the case's channel (sent by a job after
    commit). ``actor`` is the caseworker, or ``None`` for the system.
    """
    from caseflow.messages.services import post_reply

    if actor is not None:
        check_unit(case, actor)
        if Role(actor.role) not in DELAY_NOTICE_ROLES:
            raise Forbidden("Din roll får inte skicka förseningsbesked. / Your role may not.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Ett förseningsbesked måste ange anledningen. / A delay notice needs a reason.",
            {"reason": ["Ange anledningen till förseningen. / Give the reason for the delay."]},
        )
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            "Anledningen är för lång. / The reason is too long.",
            {"reason": [f"Högst {MAX_REASON} tecken. / At most {MAX_REASON} characters."]},
        )
    if case.closed_at is not None or case.clock_stopped_at is not None:
        raise Conflict("Ärendet är redan avgjort. / The case has already been decided.")
    message = post_reply(case, delay_notice_text(case, reason, expected_by), actor=actor)
    now = utcnow()
    case.delay_notice_sent_at = now
    data: dict[str, Any] = {"message_id": message.id, "reason": reason[:500]}
    if expected_by is not None:
        data["expected_by"] = expected_by.isoformat()
    record_event(case.id, "delay_notice_sent", actor_id=actor.id if actor else None, data=data)
    db.session.flush()
    return message


# --- reads ---------------------------------------------------------------------------------


def overdue_without_notice(user: User | None = None, *, individual_only: bool = True) -> list[Case]:
    """Overdue cases whose delay notice is still owed, oldest due date first.

    A notice counts only if it was sent after the latest overdue flag. With ``user``, only
    the cases that user may see.
    """
    stmt = (
        sa.select(Case)
        .where(
            Case.overdue_flagged_at.is_not(None),
            Case.closed_at.is_(None),
            Case.clock_stopped_at.is_(None),
            sa.or_(
                Case.delay_notice_sent_at.is_(None),
                Case.delay_notice_sent_at < Case.overdue_flagged_at,
            ),
        )
        .order_by(Case.due_date, Case.id)
    )
    if individual_only:
        stmt = stmt.where(Case.opened_by_individual.is_(True))
    if user is not None:
        stmt = stmt.where(visible_cases_clause(user))
    return list(db.session.execute(stmt).scalars())
