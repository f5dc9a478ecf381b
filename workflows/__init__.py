"""Declarative case workflows: definitions, validation, decisions, working-day calendar.

Pure Python on purpose (no Flask, no SQLAlchemy): ``caseflow`` persists what the engine
decides, and the engine can be checked and rendered on its own.
"""

from workflows.engine import Context, Decision, available, decide, failing_guards
from workflows.errors import (
    GuardFailed,
    RoleNotAllowed,
    TransitionError,
    TransitionNotAllowed,
    UnknownWorkflow,
    WorkflowDefinitionError,
    WorkflowError,
)
from workflows.loader import load_dict, load_file, loads
from workflows.model import (
    KNOWN_EFFECTS,
    KNOWN_GUARDS,
    KNOWN_ROLES,
    PSEUDO_ACTORS,
    STAFF_ROLES,
    Definition,
    State,
    Transition,
)
from workflows.registry import Registry, default_registry

__all__ = [
    "KNOWN_EFFECTS",
    "KNOWN_GUARDS",
    "KNOWN_ROLES",
    "PSEUDO_ACTORS",
    "STAFF_ROLES",
    "Context",
    "Decision",
    "Definition",
    "GuardFailed",
    "Registry",
    "RoleNotAllowed",
    "State",
    "Transition",
    "TransitionError",
    "TransitionNotAllowed",
    "UnknownWorkflow",
    "WorkflowDefinitionError",
    "WorkflowError",
    "available",
    "decide",
    "default_registry",
    "failing_guards",
    "load_dict",
    "load_file",
    "loads",
]
