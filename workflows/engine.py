"""Pure decision logic: may this transition fire, and what follows.

The engine knows nothing about databases or users: the caller passes the current state, the
actor's role and a ``Context`` of facts the guards need, and gets a ``Decision`` back (or an
exception saying why not). Persisting the decision is the caller's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workflows.errors import GuardFailed, RoleNotAllowed, TransitionNotAllowed
from workflows.model import Definition, State, Transition


@dataclass(frozen=True)
class Context:
    """What the guards may ask about the case and the request."""

    has_assignee: bool = False
    #: The actor gave a note (e.g. the reasons for a decision).
    has_note: bool = False
    #: The actor wrote a message that will be sent to the citizen.
    has_message: bool = False


@dataclass(frozen=True)
class Decision:
    """The outcome of an allowed transition; ``effects`` are for the caller to carry out."""

    transition: Transition
    from_state: str
    to_state: str
    effects: tuple[str, ...]
    #: The target state itself, so callers need not look it up again.
    target: State


_GUARD_CHECKS: dict[str, Callable[[Context], bool]] = {
    "requires_assignee": lambda c: c.has_assignee,
    "requires_note": lambda c: c.has_note,
    "requires_message": lambda c: c.has_message,
}


def failing_guards(transition: Transition, context: Context) -> tuple[str, ...]:
    """The guards of ``transition`` that ``context`` does not satisfy, in definition order."""
    return tuple(g for g in transition.guards if not _GUARD_CHECKS[g](context))


def available(
    definition: Definition, state: str, role: str, context: Context | None = None
) -> list[Transition]:
    """Transitions ``role`` may fire from ``state``.

    Without a context, guards are not checked: a note or message is given with the request, so
    a UI lists the transitions first and asks for what their guards need.
    """
    definition.state(state)  # unknown state: KeyError, never a silent empty list
    return [
        t
        for t in definition.transitions_from(state)
        if t.allows_role(role) and (context is None or not failing_guards(t, context))
    ]


def decide(
    definition: Definition,
    state: str,
    transition_name: str,
    *,
    role: str,
    context: Context | None = None,
) -> Decision:
    """Check ``transition_name`` from ``state`` for ``role``; raise the first reason it fails.

    Order of checks: the transition leaves the state (``TransitionNotAllowed``), the role may
    fire it (``RoleNotAllowed``), every guard holds (``GuardFailed``, naming all that failed).
    """
    definition.state(state)
    transition = definition.find(state, transition_name)
    if transition is None:
        allowed = tuple(t.name for t in available(definition, state, role))
        raise TransitionNotAllowed(transition_name, state, allowed)
    if not transition.allows_role(role):
        roles = frozenset({"system"}) if transition.system_only else transition.roles
        raise RoleNotAllowed(transition_name, role, roles)
    failed = failing_guards(transition, context or Context())
    if failed:
        raise GuardFailed(transition_name, failed)
    return Decision(
        transition=transition,
        from_state=state,
        to_state=transition.target,
        effects=transition.effects,
        target=definition.state(transition.target),
    )
