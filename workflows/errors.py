"""Errors of the workflow engine.

Two families: ``WorkflowDefinitionError`` is raised while a definition is loaded (a broken
definition must never reach a case), and ``TransitionError`` is raised when a transition may
not fire. Each definition rule has its own subclass so tests and callers can tell them apart.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base of every error raised by the ``workflows`` package."""


class WorkflowDefinitionError(WorkflowError):
    """A workflow definition breaks one of the rules checked when it is loaded."""


class MalformedDefinition(WorkflowDefinitionError):
    """A field is missing or has the wrong type."""


class InitialStateError(WorkflowDefinitionError):
    """A definition needs exactly one initial state."""


class UnreachableState(WorkflowDefinitionError):
    """A state cannot be reached from the initial state."""


class TransitionFromFinalState(WorkflowDefinitionError):
    """A transition leaves a final state; final states are final."""


class UnknownState(WorkflowDefinitionError):
    """A transition names a state the definition does not have."""


class UnknownRole(WorkflowDefinitionError):
    """A transition names a role Caseflow does not know."""


class UnknownGuard(WorkflowDefinitionError):
    """A transition names a guard the engine cannot check."""


class UnknownEffect(WorkflowDefinitionError):
    """A transition names an effect Caseflow cannot perform."""


class DuplicateTransitionName(WorkflowDefinitionError):
    """Two transitions leaving the same state share a name, so a name would be ambiguous."""


class SystemOnlyWithRoles(WorkflowDefinitionError):
    """A ``system_only`` transition also lists people's roles, which contradicts itself."""


class ClockEffectMismatch(WorkflowDefinitionError):
    """A transition's clock effects disagree with the states it connects."""


class DuplicateVersion(WorkflowDefinitionError):
    """Two definitions share a key and a version."""


class UnknownWorkflow(WorkflowError, KeyError):
    """No definition with this key (and version) is registered.

    Also a ``KeyError`` so callers can treat it like a failed mapping lookup.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown workflow"


class TransitionError(WorkflowError):
    """A transition may not fire; the subclass says why."""


class TransitionNotAllowed(TransitionError):
    """The transition does not leave the current state."""

    def __init__(self, transition: str, state: str, allowed: tuple[str, ...]) -> None:
        self.transition = transition
        self.state = state
        #: Transitions the same role could fire from this state instead.
        self.allowed = allowed
        names = ", ".join(allowed) or "none"
        super().__init__(
            f"Transition {transition!r} is not allowed from state {state!r} (allowed: {names})."
        )


class RoleNotAllowed(TransitionError):
    """The actor's role may not fire the transition."""

    def __init__(self, transition: str, role: str, roles: frozenset[str]) -> None:
        self.transition = transition
        self.role = role
        #: Roles that may fire the transition.
        self.roles = roles
        super().__init__(f"Role {role!r} may not fire transition {transition!r}.")


class GuardFailed(TransitionError):
    """One or more guards of the transition do not hold."""

    def __init__(self, transition: str, guards: tuple[str, ...]) -> None:
        self.transition = transition
        #: The guards that failed, in the order the definition lists them.
        self.guards = guards
        super().__init__(f"Transition {transition!r} needs: {', '.join(guards)}.")
