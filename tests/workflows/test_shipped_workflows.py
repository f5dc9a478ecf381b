"""The shipped workflows: they load, and their full transition matrix is what we intend.

The tables below are written by hand on purpose: a change to a shipped definition must be a
deliberate change to this file too (and a new version, once cases use the old one).
"""

from __future__ import annotations

import itertools

import pytest

from workflows import (
    KNOWN_ROLES,
    Context,
    Definition,
    RoleNotAllowed,
    TransitionNotAllowed,
    decide,
    default_registry,
)
from workflows.loader import reachable_states

ALL_GUARDS = Context(has_assignee=True, has_note=True, has_message=True)

#: (state, transition) -> target, for every pair that is allowed.
MATRIX: dict[str, dict[tuple[str, str], str]] = {
    "arende": {
        ("inkommen", "register"): "registrerad",
        ("registrerad", "start_handling"): "under_handlaggning",
        ("under_handlaggning", "request_complement"): "vantar_komplettering",
        ("vantar_komplettering", "complemented"): "under_handlaggning",
        ("vantar_komplettering", "resume_handling"): "under_handlaggning",
        ("under_handlaggning", "decide"): "beslutad",
        ("beslutad", "reopen"): "under_handlaggning",
        ("beslutad", "close"): "avslutad",
        ("inkommen", "dismiss"): "avvisad",
        ("registrerad", "dismiss"): "avvisad",
        ("under_handlaggning", "dismiss"): "avvisad",
        ("vantar_komplettering", "dismiss"): "avvisad",
    },
    "felanmalan": {
        ("mottagen", "assign"): "tilldelad",
        ("tilldelad", "start_work"): "atgardas",
        ("atgardas", "mark_fixed"): "atgardad",
        ("atgardad", "reopen"): "atgardas",
        ("atgardad", "close"): "stangd",
        ("mottagen", "dismiss"): "avvisad",
        ("tilldelad", "dismiss"): "avvisad",
    },
    "fraga": {
        ("ny", "answer"): "besvarad",
        ("besvarad", "reopen"): "ny",
        ("besvarad", "close"): "stangd",
        ("ny", "dismiss"): "stangd",
    },
}

STAFF = {"handlaggare", "enhetschef"}
#: transition -> roles that may fire it.
ROLES: dict[str, dict[str, set[str]]] = {
    "arende": {
        "register": STAFF | {"registrator"},
        "start_handling": STAFF,
        "request_complement": STAFF,
        "complemented": {"system", "citizen"},
        "resume_handling": STAFF,
        "decide": STAFF,
        "reopen": STAFF,
        "close": STAFF | {"registrator", "system"},
        "dismiss": STAFF,
    },
    "felanmalan": {
        "assign": STAFF | {"registrator", "system"},
        "start_work": STAFF,
        "mark_fixed": STAFF,
        "reopen": STAFF | {"citizen", "system"},
        "close": STAFF | {"system"},
        "dismiss": STAFF | {"registrator"},
    },
    "fraga": {
        "answer": STAFF | {"registrator"},
        "reopen": STAFF | {"registrator", "citizen", "system"},
        "close": STAFF | {"registrator", "system"},
        "dismiss": STAFF | {"registrator"},
    },
}

STATES: dict[str, tuple[str, ...]] = {
    "arende": (
        "inkommen",
        "registrerad",
        "under_handlaggning",
        "vantar_komplettering",
        "beslutad",
        "avslutad",
        "avvisad",
    ),
    "felanmalan": ("mottagen", "tilldelad", "atgardas", "atgardad", "stangd", "avvisad"),
    "fraga": ("ny", "besvarad", "stangd"),
}
FINAL: dict[str, set[str]] = {
    "arende": {"avslutad", "avvisad"},
    "felanmalan": {"stangd", "avvisad"},
    "fraga": {"stangd"},
}


def _definition(key: str) -> Definition:
    return default_registry().latest(key)


def _matrix_cases() -> list[tuple[str, str, str]]:
    cases = []
    for key in sorted(MATRIX):
        names = sorted({name for _, name in MATRIX[key]})
        cases += [(key, s, n) for s, n in itertools.product(STATES[key], names)]
    return cases


def test_every_shipped_definition_loads() -> None:
    registry = default_registry()
    assert registry.keys() == ["arende", "felanmalan", "fraga"]
    for definition in registry.all():
        assert reachable_states(definition) == set(definition.states)
        assert definition.title_sv and definition.title_en


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_shipped_states_are_the_intended_ones(key: str) -> None:
    definition = _definition(key)
    assert tuple(definition.states) == STATES[key]
    assert set(definition.final_states) == FINAL[key]
    assert definition.initial_state == STATES[key][0]
    assert set(definition.transition_names) == {name for _, name in MATRIX[key]}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_every_state_maps_to_open311(key: str) -> None:
    for state in _definition(key).states.values():
        assert state.open311_status in ("open", "closed")
        assert state.public_label_sv and state.public_label_en
        if state.final:
            assert state.open311_status == "closed"
    assert _definition(key).state(_definition(key).initial_state).open311_status == "open"


def test_only_waiting_for_a_complement_pauses_the_clock() -> None:
    paused = [
        (d.key, s.name)
        for d in default_registry().all()
        for s in d.states.values()
        if s.pauses_clock
    ]
    assert paused == [("arende", "vantar_komplettering")]


@pytest.mark.parametrize(("key", "state", "name"), _matrix_cases())
def test_transition_matrix(key: str, state: str, name: str) -> None:
    definition = _definition(key)
    expected = MATRIX[key].get((state, name))
    role = sorted(ROLES[key][name])[0]
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as info:
            decide(definition, state, name, role=role, context=ALL_GUARDS)
        assert info.value.state == state
        assert name not in info.value.allowed
    else:
        decision = decide(definition, state, name, role=role, context=ALL_GUARDS)
        assert (decision.from_state, decision.to_state) == (state, expected)
        assert decision.target.name == expected


@pytest.mark.parametrize(
    ("key", "name", "role"),
    [(k, n, r) for k in sorted(ROLES) for n in sorted(ROLES[k]) for r in sorted(KNOWN_ROLES)],
)
def test_role_matrix(key: str, name: str, role: str) -> None:
    definition = _definition(key)
    state = next(s for s, n in MATRIX[key] if n == name)
    if role in ROLES[key][name]:
        assert decide(definition, state, name, role=role, context=ALL_GUARDS).to_state
    else:
        with pytest.raises(RoleNotAllowed) as info:
            decide(definition, state, name, role=role, context=ALL_GUARDS)
        assert info.value.roles == frozenset(ROLES[key][name])


def test_complemented_brings_the_errand_back_to_handling_for_the_citizen() -> None:
    decision = decide(_definition("arende"), "vantar_komplettering", "complemented", role="citizen")
    assert decision.to_state == "under_handlaggning"
    assert decision.effects == ("resume_clock",)


def test_admin_has_no_implicit_right_to_move_cases() -> None:
    with pytest.raises(RoleNotAllowed):
        decide(_definition("arende"), "beslutad", "close", role="admin")
