"""``transition_case``: the only writer of a case's state after it was opened.

It locks the case row, asks the workflow engine whether the transition may fire, checks the
actor's role and unit, writes a ``CaseStatusChange`` and a ``CaseEvent``, keeps ``closed_at``
and the handling clock in step with the new state, and carries out the definition's effects
(the citizen's status mail is written here and sent by a job after commit). It flushes and
never commits: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from caseflow.audit.services import record_event
from caseflow.auth.models import User
from caseflow.cases import notices
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from caseflow.extensions import db
from caseflow.messages.models import Direction, Message
from caseflow.timeutil import local_date
from caseflow.usage.services import record_usage
from workflows import (
    Context,
    Decision,
    Definition,
    GuardFailed,
    RoleNotAllowed,
    TransitionNotAllowed,
    decide,
    default_registry,
)
from workflows.calendar import add_working_days, due_date_after_pause

#: The field a request fills in to satisfy each guard (used in 422 bodies).
GUARD_FIELDS = {
    "requires_assignee": "assignee",
    "requires_note": "note",
    "requires_message": "message",
}
GUARD_MESSAGES = {
    "requires_assignee": "Ärendet behöver en ansvarig handläggare. / The case needs an assignee.",
    "requires_note": "Skriv en anteckning (t.ex. motivering). / Write a note (e.g. the reasons).",
    "requires_message": "Skriv ett meddelande till medborgaren. / Write a message to the citizen.",
}


@dataclass(frozen=True)
class CitizenActor:
    """The person behind the case, acting through the tracking page or a channel."""

    citizen_id: int | None = None

    role = "citizen"


#: Actor for citizen-triggered transitions when no particular citizen id matters.
CITIZEN = CitizenActor()

Actor = User | CitizenActor | None


# --- domain errors: HTTP statuses through caseflow.errors, engine types for callers ---------


def _domain_init(error: DomainError, message: str, errors: dict[str, Any]) -> None:
    """Fill in the ``DomainError`` side of an error that is also an engine error (calling
    ``DomainError.__init__`` would reach the engine class's ``__init__`` through the MRO)."""
    error.message = message
    error.errors = errors
    error.args = (message,)


class TransitionConflict(Conflict, TransitionNotAllowed):
    """409: the transition does not leave the case's current state."""

    code = "transition_not_allowed"

    def __init__(self, error: TransitionNotAllowed) -> None:
        TransitionNotAllowed.__init__(self, error.transition, error.state, error.allowed)
        _domain_init(
            self,
            f"Övergången {error.transition!r} är inte tillåten från status {error.state!r}. / "
            f"Transition {error.transition!r} is not allowed from state {error.state!r}.",
            {
                "transition": [error.transition],
                "state": [error.state],
                "allowed": list(error.allowed),
            },
        )


class TransitionForbidden(Forbidden, RoleNotAllowed):
    """403: the actor's role may not fire the transition."""

    code = "role_not_allowed"

    def __init__(self, error: RoleNotAllowed) -> None:
        RoleNotAllowed.__init__(self, error.transition, error.role, error.roles)
        _domain_init(
            self,
            f"Din roll får inte göra övergången {error.transition!r}. / "
            f"Your role may not fire transition {error.transition!r}.",
            {"role": [error.role], "roles": sorted(error.roles)},
        )


class TransitionGuardFailed(ValidationFailed, GuardFailed):
    """422: a guard does not hold; ``errors`` names the guards and the fields to fill in."""

    code = "guard_failed"

    def __init__(self, error: GuardFailed) -> None:
        GuardFailed.__init__(self, error.transition, error.guards)
        errors: dict[str, Any] = {"guards": list(error.guards)}
        for guard in error.guards:
            errors[GUARD_FIELDS[guard]] = [GUARD_MESSAGES[guard]]
        _domain_init(
            self,
            f"Villkor för övergången {error.transition!r} är inte uppfyllda. / "
            f"Conditions of transition {error.transition!r} are not met.",
            errors,
        )


# --- helpers -------------------------------------------------------------------------------


def definition_of(case: Case) -> Definition:
    """The workflow version the case was opened with (never silently the latest)."""
    return default_registry().get(case.workflow_key, case.workflow_version)


def role_of(actor: Actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, CitizenActor):
        return actor.role
    return Role(actor.role).value


def check_unit(case: Case, actor: Actor) -> None:
    """Caseworkers and unit leads act only on their units' cases; others get 404, not 403."""
    if isinstance(actor, User) and not (
        Role(actor.role).sees_all_units or case.unit_id in actor.unit_ids
    ):
        raise NotFound("Ärendet finns inte.")


def context_for(case: Case, note: str | None, message: str | Message | None) -> Context:
    return Context(
        has_assignee=case.assignee_id is not None,
        has_note=bool(note and note.strip()),
        has_message=_has_message(message),
    )


def _has_message(message: str | Message | None) -> bool:
    if isinstance(message, Message):
        return message.direction == Direction.OUTBOUND
    return bool(message and message.strip())


def _lock(case: Case) -> None:
    """Re-read the row under ``SELECT ... FOR UPDATE`` so the state we check is the state we
    change; a concurrent transition waits here (PostgreSQL) until the first one commits."""
    db.session.flush()
    db.session.refresh(case, with_for_update=True)


# --- the service ---------------------------------------------------------------------------


def transition_case(
    case: Case,
    name: str,
    *,
    actor: Actor,
    note: str | None = None,
    message: str | Message | None = None,
) -> CaseStatusChange:
    """Fire transition ``name`` on ``case`` as ``actor`` (a ``User``, ``CITIZEN`` or ``None``
    for the system).

    ``note`` is kept on the status change (the reasons of a decision); a ``message`` string is
    sent to the citizen as a public reply (or, from the citizen, recorded as inbound); an
    existing ``Message`` is linked in the audit event. Raises ``TransitionConflict`` (409),
    ``TransitionForbidden`` (403), ``TransitionGuardFailed`` (422) or ``NotFound``; nothing is
    written unless the transition fires.
    """
    check_unit(case, actor)
    _lock(case)
    definition = definition_of(case)
    from_state = case.state
    try:
        decision = decide(
            definition,
            from_state,
            name,
            role=role_of(actor),
            context=context_for(case, note, message),
        )
    except TransitionNotAllowed as exc:
        raise TransitionConflict(exc) from None
    except RoleNotAllowed as exc:
        raise TransitionForbidden(exc) from None
    except GuardFailed as exc:
        raise TransitionGuardFailed(exc) from None

    now = utcnow()
    _compare_and_set_state(case, name, from_state, decision.to_state)
    case.last_activity_at = now
    case.closed_at = now if decision.target.final else None
    _apply_clock(case, decision, now)
    linked = _record_message(case, actor, message)

    actor_id = actor.id if isinstance(actor, User) else None
    change = CaseStatusChange(
        case_id=case.id,
        transition=name,
        from_state=from_state,
        to_state=decision.to_state,
        actor_id=actor_id,
        note=note.strip() if note and note.strip() else None,
    )
    db.session.add(change)
    db.session.flush()
    data: dict[str, Any] = {
        "transition": name,
        "status_change_id": change.id,
        "workflow": f"{definition.key}@{definition.version}",
    }
    if linked is not None:
        data["message_id"] = linked.id
    if decision.effects:
        data["effects"] = list(decision.effects)
    record_event(
        case.id,
        "transition",
        actor_id=actor_id,
        actor_label=role_of(actor),
        from_state=from_state,
        to_state=decision.to_state,
        data=data,
    )
    record_usage(
        "case_transition", eservice_id=case.eservice_id, channel=case.channel, unit_id=case.unit_id
    )
    _schedule_effects(case, change, decision)
    db.session.flush()
    return change


def _compare_and_set_state(case: Case, name: str, from_state: str, to_state: str) -> None:
    """Write the state only if it is still ``from_state``: a second guard besides the row lock
    (and the only one on SQLite, which has no ``FOR UPDATE``)."""
    result = db.session.execute(
        sa.update(Case)
        .where(Case.id == case.id, Case.state == from_state)
        .values(state=to_state)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise TransitionConflict(TransitionNotAllowed(name, from_state, ()))
    set_committed_value(case, "state", to_state)


def _apply_clock(case: Case, decision: Decision, now: datetime) -> None:
    """Carry out the clock effects, each idempotent, in the order the definition lists them."""
    today = local_date(now)
    for effect in decision.effects:
        if effect == "pause_clock" and case.clock_paused_at is None:
            case.clock_paused_at = now
            case.clock_stopped_at = None
        elif effect == "resume_clock" and case.clock_paused_at is not None:
            if case.due_date is not None:
                case.due_date = due_date_after_pause(
                    case.due_date, local_date(case.clock_paused_at), today
                )
                if case.due_date >= today:
                    case.overdue_flagged_at = None
            case.clock_paused_at = None
        elif effect == "start_clock":
            case.due_date = add_working_days(today, case.sla_days)
            case.clock_paused_at = None
            case.clock_stopped_at = None
            case.overdue_flagged_at = None
        elif effect == "stop_clock":
            case.clock_paused_at = None
            case.clock_stopped_at = case.clock_stopped_at or now
    if decision.target.final:  # a closed case never waits (the CHECK constraint agrees)
        case.clock_paused_at = None


def _record_message(case: Case, actor: Actor, message: str | Message | None) -> Message | None:
    """A text from staff or the system goes to the citizen; from the citizen it is inbound."""
    from caseflow.messages.services import add_inbound_message, post_reply

    if message is None or isinstance(message, Message):
        return message
    if not message.strip():
        return None
    if isinstance(actor, CitizenActor):
        return add_inbound_message(case, message, channel=case.channel, citizen_id=actor.citizen_id)
    return post_reply(case, message, actor=actor)


def _schedule_effects(case: Case, change: CaseStatusChange, decision: Decision) -> None:
    """The citizen's status mail is written now, in this transaction, as a pending outbox
    row with its ``citizen_notified`` event: it leaves only after commit (its delivery job,
    or the mail sweeper if that job is lost), and is never owed without a record."""
    if "notify_citizen" in decision.effects and case.citizen_id is not None:
        notices.notify_citizen(case, change, decision.target)
