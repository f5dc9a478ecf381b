"""Overdue flags, delay notices (FL § 11) and six-month warnings (FL § 12)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.audit.models import CaseEvent
from caseflow.cases.deadlines import (
    add_months,
    flag_overdue_cases,
    overdue_without_notice,
    run_deadline_checks,
    send_delay_notice,
    warn_six_months,
)
from caseflow.cases.models import Case
from caseflow.cases.transitions import CITIZEN, transition_case
from caseflow.errors import Conflict, Forbidden, NotFound, ValidationFailed
from caseflow.extensions import db
from caseflow.jobs import periodic_jobs
from caseflow.messages.models import Direction, Message
from tests.transitions.conftest import Staff

NewCase = Callable[..., Case]
# Opened Mon 30 Mar 2026 with 10 working days: due Wed 15 Apr 2026.
OPENED = datetime(2026, 3, 30, 8, tzinfo=UTC)
DAY_AFTER_DUE = datetime(2026, 4, 16, 8, tzinfo=UTC)


def _events(case: Case, action: str) -> list[CaseEvent]:
    return list(
        db.session.execute(
            sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)
        ).scalars()
    )


def test_case_is_overdue_only_after_its_due_date(new_case: NewCase) -> None:
    case = new_case(opened_at=OPENED)
    assert case.due_date == date(2026, 4, 15)
    assert case.id not in flag_overdue_cases(datetime(2026, 4, 15, 15, tzinfo=UTC))
    assert case.id in flag_overdue_cases(DAY_AFTER_DUE)
    assert case.overdue_flagged_at == DAY_AFTER_DUE
    [event] = _events(case, "overdue_flagged")
    assert event.data == {"due_date": "2026-04-15", "delay_notice_required": True}


def test_case_is_flagged_once(new_case: NewCase) -> None:
    case = new_case(opened_at=OPENED)
    flag_overdue_cases(DAY_AFTER_DUE)
    assert case.id not in flag_overdue_cases(datetime(2026, 4, 20, tzinfo=UTC))
    assert len(_events(case, "overdue_flagged")) == 1


def test_paused_decided_and_closed_cases_are_not_overdue(staff: Staff, new_case: NewCase) -> None:
    paused, decided, closed = (new_case(opened_at=OPENED) for _ in range(3))
    for case in (paused, decided):
        case.assignee_id = staff.handlaggare.id
        transition_case(case, "register", actor=staff.registrator)
        transition_case(case, "start_handling", actor=staff.handlaggare)
    transition_case(paused, "request_complement", actor=staff.handlaggare, message="Intyg?")
    transition_case(decided, "decide", actor=staff.handlaggare, note="Bifall.")
    transition_case(closed, "dismiss", actor=staff.enhetschef, note="Dubblett.")
    flagged = flag_overdue_cases(DAY_AFTER_DUE)
    assert not {paused.id, decided.id, closed.id} & set(flagged)


def test_overdue_case_owes_a_delay_notice_until_one_is_sent(
    staff: Staff, new_case: NewCase
) -> None:
    case = new_case(opened_at=OPENED)
    flag_overdue_cases(DAY_AFTER_DUE)
    assert case in overdue_without_notice()
    message = send_delay_notice(
        case,
        "Vi väntar på yttrande från Trafikverket.",
        staff.handlaggare,
        expected_by=date(2026, 5, 8),
    )
    assert case not in overdue_without_notice()
    assert case.delay_notice_sent_at is not None
    assert (message.direction, message.public) == (Direction.OUTBOUND, True)
    assert message.body.startswith(f"Förseningsbesked för ärende {case.reference}.")
    assert "Anledning: Vi väntar på yttrande från Trafikverket." in message.body
    assert "Reason: Vi väntar" in message.body and "2026-05-08" in message.body
    [event] = _events(case, "delay_notice_sent")
    assert event.actor_id == staff.handlaggare.id
    assert event.data["message_id"] == message.id


def test_a_new_delay_after_a_notice_is_a_new_duty(staff: Staff, new_case: NewCase) -> None:
    case = new_case(opened_at=OPENED)
    flag_overdue_cases(DAY_AFTER_DUE)
    send_delay_notice(case, "Semester.", staff.handlaggare)
    case.overdue_flagged_at = datetime(2099, 1, 1, tzinfo=UTC)  # flagged again later
    assert case in overdue_without_notice()


def test_overdue_report_shows_each_user_only_visible_cases(staff: Staff, new_case: NewCase) -> None:
    case = new_case(opened_at=OPENED)
    flag_overdue_cases(DAY_AFTER_DUE)
    assert case in overdue_without_notice(staff.handlaggare)
    assert case in overdue_without_notice(staff.registrator)
    assert case not in overdue_without_notice(staff.outsider)


def test_cases_not_opened_by_individuals_owe_no_notice(new_case: NewCase) -> None:
    case = new_case(opened_at=OPENED, opened_by_individual=False)
    flag_overdue_cases(DAY_AFTER_DUE)
    assert case.overdue_flagged_at is not None
    assert case not in overdue_without_notice()
    assert case in overdue_without_notice(individual_only=False)


def test_delay_notice_needs_a_reason(staff: Staff, new_case: NewCase) -> None:
    with pytest.raises(ValidationFailed) as info:
        send_delay_notice(new_case(), "   ", staff.handlaggare)
    assert "reason" in info.value.errors


def test_delay_notice_respects_units_and_roles(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    with pytest.raises(NotFound):
        send_delay_notice(case, "Sjukdom.", staff.outsider)
    with pytest.raises(Forbidden):
        send_delay_notice(case, "Sjukdom.", staff.admin)
    assert db.session.scalar(sa.select(sa.func.count()).where(Message.case_id == case.id)) == 0


def test_no_delay_notice_on_a_decided_case(staff: Staff, new_case: NewCase) -> None:
    case = new_case("fraga")
    transition_case(case, "answer", actor=staff.registrator, message="Svar.")
    with pytest.raises(Conflict):
        send_delay_notice(case, "För sent.", staff.handlaggare)


def test_resuming_past_the_old_date_clears_the_overdue_flag(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseflow.cases.transitions as transitions

    case = new_case(opened_at=OPENED)
    case.assignee_id = staff.handlaggare.id
    monkeypatch.setattr(transitions, "utcnow", lambda: datetime(2026, 4, 14, 9, tzinfo=UTC))
    transition_case(case, "register", actor=staff.registrator)
    transition_case(case, "start_handling", actor=staff.handlaggare)
    transition_case(case, "request_complement", actor=staff.handlaggare, message="Karta?")
    case.overdue_flagged_at = DAY_AFTER_DUE  # as if flagged before the pause
    monkeypatch.setattr(transitions, "utcnow", lambda: datetime(2026, 4, 21, 9, tzinfo=UTC))
    transition_case(case, "complemented", actor=CITIZEN)
    # Paused Tue 14 Apr, resumed Tue 21 Apr: five working days, due 15 Apr -> 22 Apr.
    assert case.due_date == date(2026, 4, 22)
    assert case.overdue_flagged_at is None


@pytest.mark.parametrize(
    ("opened", "six_months"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2026, 12, 31), date(2027, 6, 30)),
    ],
)
def test_six_months_are_calendar_months(opened: date, six_months: date) -> None:
    assert add_months(opened, 6) == six_months


def test_six_month_warning_comes_before_the_day_and_once(new_case: NewCase) -> None:
    case = new_case(opened_at=datetime(2026, 1, 15, 9, tzinfo=UTC))
    assert case.id not in warn_six_months(datetime(2026, 6, 14, 9, tzinfo=UTC), warning_days=30)
    assert case.id in warn_six_months(datetime(2026, 6, 15, 9, tzinfo=UTC), warning_days=30)
    assert case.id not in warn_six_months(datetime(2026, 6, 16, 9, tzinfo=UTC), warning_days=30)
    [event] = _events(case, "six_month_warning")
    assert event.data == {"six_months_on": "2026-07-15"}


def test_no_six_month_warning_for_decided_or_non_individual_cases(
    staff: Staff, new_case: NewCase
) -> None:
    opened = datetime(2026, 1, 15, 9, tzinfo=UTC)
    decided = new_case("fraga", opened_at=opened)
    transition_case(decided, "answer", actor=staff.registrator, message="Svar.")
    organisation = new_case(opened_at=opened, opened_by_individual=False)
    warned = warn_six_months(datetime(2026, 7, 1, tzinfo=UTC), warning_days=30)
    assert decided.id not in warned and organisation.id not in warned


def test_deadline_checks_are_a_registered_periodic_job(app: Flask) -> None:
    job = periodic_jobs(app)["deadlines"]
    assert job.func == "caseflow.cases.deadlines.run_deadline_checks"
    assert job.every_seconds == 3600


def test_deadline_job_runs_and_commits(new_case: NewCase) -> None:
    case = new_case(opened_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert run_deadline_checks()["overdue"] >= 1
    assert case.overdue_flagged_at is not None and case.six_month_warned_at is not None
