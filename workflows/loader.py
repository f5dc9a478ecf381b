"""Load workflow definitions from TOML or dicts and check them before anything can use them.

A TOML definition looks like this (``from`` may be one state or a list)::

    title_sv = "Ärende"
    title_en = "Errand"

    [states.inkommen]
    label_sv = "Inkommen"
    label_en = "Received"
    initial = true

    [[transitions]]
    name = "register"
    from = "inkommen"
    to = "registrerad"
    roles = ["registrator"]

Key and version come from the file name (``arende.v1.toml``); if the file names them as well
they must agree. Every rule has its own exception (see ``workflows.errors``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workflows.errors import (
    ClockEffectMismatch,
    DuplicateTransitionName,
    InitialStateError,
    MalformedDefinition,
    SystemOnlyWithRoles,
    TransitionFromFinalState,
    UnknownEffect,
    UnknownGuard,
    UnknownRole,
    UnknownState,
    UnreachableState,
)
from workflows.model import (
    KNOWN_EFFECTS,
    KNOWN_GUARDS,
    KNOWN_ROLES,
    Definition,
    Open311Status,
    State,
    Transition,
)

FILE_NAME = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.toml$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load_file(path: str | Path) -> Definition:
    """Load ``<key>.v<version>.toml``."""
    path = Path(path)
    match = FILE_NAME.match(path.name)
    if match is None:
        raise MalformedDefinition(
            f"{path.name}: a definition file is named <key>.v<version>.toml, e.g. arende.v1.toml."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MalformedDefinition(f"{path.name}: not valid TOML: {exc}") from exc
    key, version = match["key"], int(match["version"])
    for field_name, expected in (("key", key), ("version", version)):
        if field_name in data and data[field_name] != expected:
            raise MalformedDefinition(
                f"{path.name}: {field_name} {data[field_name]!r} disagrees with the file name."
            )
    return load_dict({**data, "key": key, "version": version})


def loads(text: str, *, key: str | None = None, version: int | None = None) -> Definition:
    """Load a definition from TOML text; ``key``/``version`` fill in missing fields."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedDefinition(f"Not valid TOML: {exc}") from exc
    if key is not None:
        data.setdefault("key", key)
    if version is not None:
        data.setdefault("version", version)
    return load_dict(data)


def load_dict(data: Mapping[str, Any]) -> Definition:
    """Build a definition from plain data and validate it."""
    key = _str(data, "key", "definition")
    if not NAME.match(key):
        raise MalformedDefinition(f"Workflow key {key!r} must be lower-case ASCII.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise MalformedDefinition(f"{key}: version must be a positive integer.")
    where = f"{key} v{version}"
    raw_states = data.get("states")
    if not isinstance(raw_states, Mapping) or not raw_states:
        raise MalformedDefinition(f"{where}: needs a [states] table with at least one state.")
    raw_transitions = data.get("transitions", [])
    if not isinstance(raw_transitions, list):
        raise MalformedDefinition(f"{where}: transitions must be a list of tables.")
    states = {name: _state(where, name, raw) for name, raw in raw_states.items()}
    transitions = tuple(_transition(where, i, raw) for i, raw in enumerate(raw_transitions))
    definition = Definition(
        key=key,
        version=version,
        title_sv=_str(data, "title_sv", where),
        title_en=_str(data, "title_en", where),
        states=states,
        transitions=transitions,
    )
    validate(definition)
    return definition


def validate(definition: Definition) -> None:
    """Check every rule; raise the first broken one."""
    where = str(definition)
    states = definition.states
    for t in definition.transitions:
        for name in (*t.sources, t.target):
            if name not in states:
                raise UnknownState(f"{where}: transition {t.name!r} names unknown state {name!r}.")
        for role in sorted(t.roles - KNOWN_ROLES):
            raise UnknownRole(
                f"{where}: transition {t.name!r} names unknown role {role!r} "
                f"(known: {', '.join(sorted(KNOWN_ROLES))})."
            )
        for guard in t.guards:
            if guard not in KNOWN_GUARDS:
                raise UnknownGuard(
                    f"{where}: transition {t.name!r} names unknown guard {guard!r} "
                    f"(known: {', '.join(sorted(KNOWN_GUARDS))})."
                )
        for effect in t.effects:
            if effect not in KNOWN_EFFECTS:
                raise UnknownEffect(
                    f"{where}: transition {t.name!r} names unknown effect {effect!r} "
                    f"(known: {', '.join(sorted(KNOWN_EFFECTS))})."
                )
        if t.system_only and t.roles - {"system"}:
            raise SystemOnlyWithRoles(
                f"{where}: transition {t.name!r} is system_only but lists roles "
                f"{', '.join(sorted(t.roles - {'system'}))}."
            )
    initial = [s.name for s in states.values() if s.initial]
    if len(initial) != 1:
        raise InitialStateError(
            f"{where}: needs exactly one initial state, found {len(initial)}"
            + (f" ({', '.join(initial)})." if initial else ".")
        )
    for t in definition.transitions:
        for source in t.sources:
            if states[source].final:
                raise TransitionFromFinalState(
                    f"{where}: transition {t.name!r} leaves final state {source!r}."
                )
    seen: set[tuple[str, str]] = set()
    for t in definition.transitions:
        for source in t.sources:
            if (source, t.name) in seen:
                raise DuplicateTransitionName(
                    f"{where}: two transitions named {t.name!r} leave state {source!r}."
                )
            seen.add((source, t.name))
    reachable = reachable_states(definition)
    for name in states:
        if name not in reachable:
            raise UnreachableState(
                f"{where}: state {name!r} cannot be reached from {definition.initial_state!r}."
            )
    for t in definition.transitions:
        _check_clock(where, definition, t)


def reachable_states(definition: Definition) -> frozenset[str]:
    """States reachable from the initial state (the initial state included)."""
    seen = {definition.initial_state}
    todo = [definition.initial_state]
    while todo:
        for t in definition.transitions_from(todo.pop()):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return frozenset(seen)


def _check_clock(where: str, definition: Definition, t: Transition) -> None:
    """Clock effects must follow the states, so a deadline can never silently keep running.

    Into a final state: ``stop_clock``. Into a pausing state from a running one:
    ``pause_clock``. Out of a pausing state into a running one: ``resume_clock`` or
    ``start_clock``. ``pause_clock`` only into a pausing state.
    """
    target = definition.states[t.target]
    effects = set(t.effects)
    sources = [definition.states[s] for s in t.sources]

    def fail(why: str) -> ClockEffectMismatch:
        return ClockEffectMismatch(f"{where}: transition {t.name!r} {why}.")

    if target.final:
        if "stop_clock" not in effects:
            raise fail(f"enters final state {target.name!r} without stop_clock")
        return
    if "pause_clock" in effects and not target.pauses_clock:
        raise fail(f"has pause_clock but {target.name!r} does not pause the clock")
    if target.pauses_clock:
        if any(not s.pauses_clock for s in sources) and "pause_clock" not in effects:
            raise fail(f"enters pausing state {target.name!r} without pause_clock")
        if effects & {"resume_clock", "start_clock", "stop_clock"}:
            raise fail(f"enters pausing state {target.name!r} but starts, stops or resumes")
        return
    if any(s.pauses_clock for s in sources) and not effects & {"resume_clock", "start_clock"}:
        raise fail("leaves a pausing state without resume_clock or start_clock")


def _state(where: str, name: str, raw: object) -> State:
    if not NAME.match(name):
        raise MalformedDefinition(f"{where}: state key {name!r} must be lower-case ASCII.")
    if not isinstance(raw, Mapping):
        raise MalformedDefinition(f"{where}: state {name!r} must be a table.")
    here = f"{where}: state {name!r}"
    final = _bool(raw, "final", here)
    label_sv = _str(raw, "label_sv", here)
    label_en = _str(raw, "label_en", here)
    status = raw.get("open311_status", "closed" if final else "open")
    if status not in ("open", "closed"):
        raise MalformedDefinition(f"{here}: open311_status must be 'open' or 'closed'.")
    open311: Open311Status = "open" if status == "open" else "closed"
    return State(
        name=name,
        label_sv=label_sv,
        label_en=label_en,
        public_label_sv=_str(raw, "public_label_sv", here, default=label_sv),
        public_label_en=_str(raw, "public_label_en", here, default=label_en),
        final=final,
        pauses_clock=_bool(raw, "pauses_clock", here),
        initial=_bool(raw, "initial", here),
        open311_status=open311,
    )


def _transition(where: str, index: int, raw: object) -> Transition:
    if not isinstance(raw, Mapping):
        raise MalformedDefinition(f"{where}: transition #{index + 1} must be a table.")
    name = _str(raw, "name", f"{where}: transition #{index + 1}")
    if not NAME.match(name):
        raise MalformedDefinition(f"{where}: transition name {name!r} must be lower-case ASCII.")
    here = f"{where}: transition {name!r}"
    sources_raw = raw.get("from", raw.get("sources"))
    sources = (sources_raw,) if isinstance(sources_raw, str) else _str_tuple(sources_raw)
    if not sources:  # None (wrong type) or empty
        raise MalformedDefinition(f"{here}: 'from' must name one or more states.")
    target = raw.get("to", raw.get("target"))
    if not isinstance(target, str):
        raise MalformedDefinition(f"{here}: 'to' must name a state.")
    roles = frozenset(_list(raw, "roles", here))
    system_only = _bool(raw, "system_only", here)
    if not roles and not system_only:
        raise MalformedDefinition(f"{here}: lists no roles, so nobody could fire it.")
    return Transition(
        name=name,
        sources=sources,
        target=target,
        roles=roles,
        system_only=system_only,
        guards=_list(raw, "guards", here),
        effects=_list(raw, "effects", here),
        label_sv=_str(raw, "label_sv", here, default=name),
        label_en=_str(raw, "label_en", here, default=name),
    )


def _str(raw: Mapping[str, Any], name: str, here: str, default: str | None = None) -> str:
    value = raw.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise MalformedDefinition(f"{here}: {name} must be a non-empty string.")
    return value


def _bool(raw: Mapping[str, Any], name: str, here: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise MalformedDefinition(f"{here}: {name} must be true or false.")
    return value


def _list(raw: Mapping[str, Any], name: str, here: str) -> tuple[str, ...]:
    value = _str_tuple(raw.get(name, []))
    if value is None:
        raise MalformedDefinition(f"{here}: {name} must be a list of strings.")
    return value


def _str_tuple(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None
