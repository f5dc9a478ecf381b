"""Workflow definitions as immutable data.

A definition is a small state machine: states with Swedish and English labels, and named
transitions between them that say who may fire them (roles), what must hold first (guards) and
what follows (effects). Definitions are data so they can be versioned, rendered and checked
without running any code of Caseflow.

Vocabulary:

Roles
    ``handlaggare``, ``registrator``, ``enhetschef``, ``admin`` are staff roles; ``system``
    (jobs, intake) and ``citizen`` (the person behind the case, e.g. when they send a
    complement) are pseudo-actors. Only the roles a transition lists may fire it; ``admin``
    administers the service and has no implicit right to move cases.

Guards
    ``requires_assignee`` the case has a responsible caseworker; ``requires_note`` the actor
    gives a note (the reasons for a decision); ``requires_message`` the actor writes a message
    that is sent to the citizen.

Effects
    ``notify_citizen`` tell the citizen the new public status (after commit);
    ``start_clock`` start a fresh handling-time deadline from the day of the transition;
    ``stop_clock`` the handling-time deadline no longer applies (decided, closed);
    ``pause_clock`` stop counting working days (waiting for the citizen);
    ``resume_clock`` count again, moving the due date by the working days spent paused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

STAFF_ROLES: frozenset[str] = frozenset({"handlaggare", "registrator", "enhetschef", "admin"})
PSEUDO_ACTORS: frozenset[str] = frozenset({"system", "citizen"})
KNOWN_ROLES: frozenset[str] = STAFF_ROLES | PSEUDO_ACTORS
KNOWN_GUARDS: frozenset[str] = frozenset({"requires_assignee", "requires_note", "requires_message"})
CLOCK_EFFECTS: frozenset[str] = frozenset(
    {"start_clock", "stop_clock", "pause_clock", "resume_clock"}
)
KNOWN_EFFECTS: frozenset[str] = CLOCK_EFFECTS | {"notify_citizen"}

Open311Status = Literal["open", "closed"]


@dataclass(frozen=True)
class State:
    """One state of a case; the public labels are what the citizen sees."""

    name: str
    label_sv: str
    label_en: str
    public_label_sv: str
    public_label_en: str
    final: bool = False
    pauses_clock: bool = False
    initial: bool = False
    open311_status: Open311Status = "open"


@dataclass(frozen=True)
class Transition:
    """A named move from one of ``sources`` to ``target``."""

    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    system_only: bool = False
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    label_sv: str = ""
    label_en: str = ""

    def allows_role(self, role: str) -> bool:
        """``system_only`` transitions are for the system alone; others for the listed roles."""
        if self.system_only:
            return role == "system"
        return role in self.roles


@dataclass(frozen=True)
class Definition:
    """A versioned workflow; cases pin ``key`` and ``version`` when they are opened."""

    key: str
    version: int
    title_sv: str
    title_en: str
    states: Mapping[str, State] = field(hash=False)
    transitions: tuple[Transition, ...]

    @property
    def initial_state(self) -> str:
        """Name of the state every case of this workflow starts in."""
        return next(s.name for s in self.states.values() if s.initial)

    @property
    def final_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states.values() if s.final)

    @property
    def transition_names(self) -> tuple[str, ...]:
        """Every transition name once, in definition order."""
        return tuple(dict.fromkeys(t.name for t in self.transitions))

    def state(self, name: str) -> State:
        """The state called ``name``; ``KeyError`` if the definition has none."""
        try:
            return self.states[name]
        except KeyError:
            raise KeyError(f"{self.key} v{self.version} has no state {name!r}") from None

    def transitions_from(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state in t.sources)

    def find(self, state: str, name: str) -> Transition | None:
        """The transition called ``name`` leaving ``state``, if there is one."""
        return next((t for t in self.transitions_from(state) if t.name == name), None)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
