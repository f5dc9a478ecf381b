"""transition_case: the only writer of case state, audited, with clock and closing rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.cases.transitions import (
    CITIZEN,
    CitizenActor,
    TransitionConflict,
    TransitionForbidden,
    TransitionGuardFailed,
    transition_case,
)
from caseflow.errors import Conflict, Forbidden, NotFound, ValidationFailed
from caseflow.extensions import db
from caseflow.messages.models import Direction, Message
from tests.transitions.conftest import Staff
from workflows import GuardFailed, RoleNotAllowed, TransitionNotAllowed

NewCase = Callable[..., Case]


def _events(case: Case, action: str = "transition") -> list[CaseEvent]:
    return list(
        db.session.execute(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.action == action)
            .order_by(CaseEvent.id)
        ).scalars()
    )


def _to_handling(case: Case, staff: Staff) -> None:
    case.assignee_id = staff.handlaggare.id
    transition_case(case, "register", actor=staff.registrator)
    transition_case(case, "start_handling", actor=staff.handlaggare)


def test_transition_writes_status_change_and_audit_event(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    change = transition_case(case, "register", actor=staff.registrator)
    assert case.state == "registrerad"
    assert (change.from_state, change.to_state, change.transition) == (
        "inkommen",
        "registrerad",
        "register",
    )
    assert change.actor_id == staff.registrator.id
    [event] = _events(case)
    assert (event.from_state, event.to_state, event.actor_id) == (
        "inkommen",
        "registrerad",
        staff.registrator.id,
    )
    assert event.data["status_change_id"] == change.id
    assert event.data["workflow"] == "arende@1"


def test_state_is_persisted(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    transition_case(case, "register", actor=staff.registrator)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "registrerad"


def test_not_allowed_from_state_is_a_409_conflict_naming_the_allowed(
    staff: Staff, new_case: NewCase
) -> None:
    case = new_case()
    with pytest.raises(TransitionConflict) as info:
        transition_case(case, "decide", actor=staff.handlaggare, note="x")
    assert isinstance(info.value, Conflict) and isinstance(info.value, TransitionNotAllowed)
    assert info.value.status == 409
    assert info.value.errors["allowed"] == ["register", "dismiss"]
    assert _events(case) == []


def test_role_not_allowed_is_a_403(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    with pytest.raises(TransitionForbidden) as info:
        transition_case(case, "register", actor=staff.admin)
    assert isinstance(info.value, Forbidden) and isinstance(info.value, RoleNotAllowed)
    assert info.value.errors["roles"] == ["enhetschef", "handlaggare", "registrator"]
    assert case.state == "inkommen"


def test_failed_guard_is_a_422_naming_guards_and_fields(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    transition_case(case, "register", actor=staff.registrator)
    with pytest.raises(TransitionGuardFailed) as info:
        transition_case(case, "start_handling", actor=staff.handlaggare)
    assert isinstance(info.value, ValidationFailed) and isinstance(info.value, GuardFailed)
    assert info.value.errors["guards"] == ["requires_assignee"]
    assert "assignee" in info.value.errors
    assert case.state == "registrerad"


def test_case_of_another_unit_is_not_found(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    with pytest.raises(NotFound):
        transition_case(case, "register", actor=staff.outsider)
    assert case.state == "inkommen"


def test_registrator_acts_on_every_unit(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    assert staff.registrator.units == []
    transition_case(case, "register", actor=staff.registrator)
    assert case.state == "registrerad"


def test_system_and_citizen_pseudo_actors(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    _to_handling(case, staff)
    transition_case(case, "request_complement", actor=staff.handlaggare, message="Skicka ritning.")
    transition_case(case, "complemented", actor=CITIZEN)
    assert case.state == "under_handlaggning"
    event = _events(case)[-1]
    assert (event.actor_id, event.actor_label) == (None, "citizen")
    transition_case(case, "request_complement", actor=staff.handlaggare, message="Och intyg.")
    transition_case(case, "complemented", actor=None)
    assert _events(case)[-1].actor_label == "system"


def test_citizen_may_not_fire_staff_transitions(staff: Staff, new_case: NewCase) -> None:
    with pytest.raises(TransitionForbidden):
        transition_case(new_case(), "register", actor=CitizenActor(citizen_id=1))


@pytest.mark.parametrize(
    ("workflow", "path"),
    [
        ("arende", ["register", "start_handling", "decide", "close"]),
        ("arende", ["dismiss"]),
        ("felanmalan", ["assign", "start_work", "mark_fixed", "close"]),
        ("fraga", ["answer", "close"]),
    ],
)
def test_closed_at_is_set_exactly_in_final_states(
    staff: Staff, new_case: NewCase, workflow: str, path: list[str]
) -> None:
    case = new_case(workflow)
    case.assignee_id = staff.handlaggare.id
    for i, name in enumerate(path):
        assert case.closed_at is None
        transition_case(case, name, actor=staff.enhetschef, note="Motivering.", message="Hej!")
        assert (case.closed_at is not None) is (i == len(path) - 1)
    assert case.clock_paused_at is None


def test_note_is_kept_on_the_status_change(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    _to_handling(case, staff)
    change = transition_case(case, "decide", actor=staff.handlaggare, note="  Beviljas.  ")
    assert change.note == "Beviljas."
    assert case.clock_stopped_at is not None


def test_message_goes_to_the_citizen_as_a_public_reply(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    _to_handling(case, staff)
    transition_case(
        case, "request_complement", actor=staff.handlaggare, message="Skicka en ritning."
    )
    message = db.session.execute(sa.select(Message).where(Message.case_id == case.id)).scalar_one()
    assert (message.direction, message.public, message.body) == (
        Direction.OUTBOUND,
        True,
        "Skicka en ritning.",
    )
    assert _events(case)[-1].data["message_id"] == message.id


def test_pause_and_resume_move_the_due_date_by_working_days(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseflow.cases.transitions as transitions

    # Opened Monday 30 Mar 2026; 10 working days over Easter: due Wed 15 Apr.
    case = new_case(opened_at=datetime(2026, 3, 30, 8, tzinfo=UTC))
    assert case.due_date == date(2026, 4, 15)
    monkeypatch.setattr(transitions, "utcnow", lambda: datetime(2026, 4, 1, 9, tzinfo=UTC))
    _to_handling(case, staff)
    transition_case(case, "request_complement", actor=staff.handlaggare, message="Ritning?")
    assert case.clock_paused_at == datetime(2026, 4, 1, 9, tzinfo=UTC)
    # Resumed Wednesday 8 Apr: 2, 7 and 8 April were lost (3-6 April is Easter).
    monkeypatch.setattr(transitions, "utcnow", lambda: datetime(2026, 4, 8, 12, tzinfo=UTC))
    transition_case(case, "complemented", actor=CITIZEN)
    assert case.clock_paused_at is None
    assert case.due_date == date(2026, 4, 20)


def test_reopening_starts_a_fresh_deadline(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseflow.cases.transitions as transitions

    case = new_case()
    _to_handling(case, staff)
    transition_case(case, "decide", actor=staff.handlaggare, note="Avslag.")
    case.overdue_flagged_at = datetime(2026, 6, 1, tzinfo=UTC)
    monkeypatch.setattr(transitions, "utcnow", lambda: datetime(2026, 6, 18, 9, tzinfo=UTC))
    transition_case(case, "reopen", actor=staff.enhetschef, note="Omprövning.")
    # Thu 18 Jun + 10 working days, midsommarafton 19 Jun off: Fri 3 Jul.
    assert case.due_date == date(2026, 7, 3)
    assert case.clock_stopped_at is None and case.overdue_flagged_at is None


def _mails(case: Case) -> list:
    from caseflow.notifications.models import OutboxMail

    return list(
        db.session.execute(
            sa.select(OutboxMail).where(OutboxMail.case_id == case.id).order_by(OutboxMail.id)
        ).scalars()
    )


def test_notify_effect_writes_the_mail_in_the_transaction_and_sends_after_commit(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transactional outbox: the pending mail and its event are written with the change
    (so a lost job leaves a row the mail sweeper finds); delivery starts after commit."""
    import caseflow.notifications.tasks as mail_tasks

    sent: list[int] = []
    monkeypatch.setattr(mail_tasks, "send_mail", sent.append)
    case = new_case()
    change = transition_case(case, "register", actor=staff.registrator)
    [mail] = _mails(case)  # flushed in the transition's transaction, before any commit
    assert (mail.status, mail.to_address) == ("pending", case.citizen.email)
    assert mail.subject == f"Ärende {case.reference}: Registrerad / Registered"
    [event] = _events(case, "citizen_notified")
    assert event.data == {"status_change_id": change.id, "channel": "email", "mail_id": mail.id}
    assert sent == []
    db.session.commit()
    assert sent == [mail.id]


def test_rolled_back_transition_notifies_nobody(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import caseflow.notifications.tasks as mail_tasks

    sent: list[int] = []
    monkeypatch.setattr(mail_tasks, "send_mail", sent.append)
    case = new_case()
    db.session.commit()
    transition_case(case, "register", actor=staff.registrator)
    db.session.rollback()
    db.session.commit()
    assert sent == []
    assert _mails(case) == [] and _events(case, "citizen_notified") == []


def test_old_workflow_version_stays_in_force_for_its_case(staff: Staff, new_case: NewCase) -> None:
    case = new_case()
    case.workflow_version = 99
    with pytest.raises(KeyError, match="version 99"):
        transition_case(case, "register", actor=staff.registrator)


def test_status_changes_are_the_history(staff: Staff, new_case: NewCase) -> None:
    case = new_case("fraga")
    for name in ("answer", "reopen", "answer"):
        transition_case(case, name, actor=staff.registrator, message="Svar.")
    rows = db.session.execute(
        sa.select(CaseStatusChange.transition, CaseStatusChange.to_state)
        .where(CaseStatusChange.case_id == case.id)
        .order_by(CaseStatusChange.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("answer", "besvarad"),
        ("reopen", "ny"),
        ("answer", "besvarad"),
    ]


def test_citizen_is_mailed_the_new_public_status_once(staff: Staff, new_case: NewCase) -> None:
    from caseflow.cases.tasks import notify_citizen_of_transition
    from caseflow.notifications.models import OutboxMail

    case = new_case()
    change = transition_case(case, "register", actor=staff.registrator)
    db.session.commit()  # the mail was written with the change; delivery runs after commit
    notify_citizen_of_transition(change.id)  # a job queued before a deploy adds nothing
    [mail] = db.session.execute(
        sa.select(OutboxMail).where(OutboxMail.case_id == case.id)
    ).scalars()
    assert mail.status == "stored"  # no SMTP configured: kept in the outbox
    assert mail.to_address == case.citizen.email
    assert mail.subject == f"Ärende {case.reference}: Registrerad / Registered"
    assert case.tracking_token in mail.body
    assert [e.data["status_change_id"] for e in _events(case, "citizen_notified")] == [change.id]


def test_a_notify_job_queued_before_a_deploy_still_mails_once(
    staff: Staff, new_case: NewCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change made by the previous release left only its job in Redis: the job still
    writes the mail and the event, once however often it runs."""
    import caseflow.cases.notices as notices
    from caseflow.cases.tasks import notify_citizen_of_transition

    case = new_case()
    with monkeypatch.context() as patched:  # the old release wrote nothing in the transition
        patched.setattr(notices, "notify_citizen", lambda *args: None)
        change = transition_case(case, "register", actor=staff.registrator)
    db.session.commit()
    assert _mails(case) == []
    notify_citizen_of_transition(change.id)
    notify_citizen_of_transition(change.id)
    [mail] = _mails(case)
    assert mail.subject == f"Ärende {case.reference}: Registrerad / Registered"
    assert [e.data["status_change_id"] for e in _events(case, "citizen_notified")] == [change.id]


def test_a_case_numbered_at_commit_gets_its_status_mail_with_the_final_reference(
    staff: Staff, new_case: NewCase
) -> None:
    """Opened and moved in one transaction: the mail is written now and rendered by the
    delivery job, once the diarienummer exists."""
    from caseflow.cases.references import PENDING_PREFIX, number_by_commit

    case = new_case(reference_later=True)
    assert case.reference.startswith(PENDING_PREFIX)
    change = transition_case(case, "register", actor=staff.registrator)
    [mail] = _mails(case)
    assert (mail.status, mail.renderer is not None) == ("pending", True)
    number_by_commit(case)
    db.session.commit()
    db.session.refresh(case)
    db.session.refresh(mail)
    assert not case.reference.startswith(PENDING_PREFIX)
    assert mail.status == "stored"
    assert mail.subject == f"Ärende {case.reference}: Registrerad / Registered"
    assert case.tracking_token in mail.body and PENDING_PREFIX not in mail.body
    [event] = _events(case, "citizen_notified")
    assert event.data["status_change_id"] == change.id


def test_transition_without_notify_effect_mails_nobody(staff: Staff, new_case: NewCase) -> None:
    from caseflow.notifications.models import OutboxMail

    case = new_case("felanmalan")
    case.assignee_id = staff.handlaggare.id
    transition_case(case, "assign", actor=staff.registrator)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMail.case_id == case.id)) == 0
