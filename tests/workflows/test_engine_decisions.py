"""The engine's decisions: allowed transitions, roles, guards, system-only transitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workflows import (
    Context,
    GuardFailed,
    RoleNotAllowed,
    TransitionNotAllowed,
    available,
    decide,
    default_registry,
    load_dict,
)

ARENDE = default_registry().latest("arende")


def test_decision_carries_the_effects_to_carry_out() -> None:
    decision = decide(
        ARENDE,
        "under_handlaggning",
        "request_complement",
        role="handlaggare",
        context=Context(has_assignee=True, has_message=True),
    )
    assert decision.transition.name == "request_complement"
    assert decision.effects == ("pause_clock", "notify_citizen")
    assert decision.target.pauses_clock


def test_not_allowed_names_what_the_role_may_do_instead() -> None:
    with pytest.raises(TransitionNotAllowed) as info:
        decide(ARENDE, "inkommen", "decide", role="handlaggare")
    assert info.value.allowed == ("register", "dismiss")
    assert "allowed: register, dismiss" in str(info.value)


def test_not_allowed_from_a_final_state_names_nothing() -> None:
    with pytest.raises(TransitionNotAllowed) as info:
        decide(ARENDE, "avslutad", "reopen", role="handlaggare")
    assert info.value.allowed == ()


def test_unknown_transition_name_is_not_allowed() -> None:
    with pytest.raises(TransitionNotAllowed):
        decide(ARENDE, "inkommen", "teleport", role="admin")


def test_unknown_state_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no state 'borta'"):
        decide(ARENDE, "borta", "register", role="registrator")


def test_role_not_allowed_names_the_roles_that_are() -> None:
    with pytest.raises(RoleNotAllowed) as info:
        decide(ARENDE, "inkommen", "register", role="citizen")
    assert info.value.roles == {"registrator", "handlaggare", "enhetschef"}


def test_transition_check_comes_before_the_role_check() -> None:
    with pytest.raises(TransitionNotAllowed):
        decide(ARENDE, "inkommen", "decide", role="citizen")


@pytest.mark.parametrize(
    ("context", "failed"),
    [
        (Context(), ("requires_assignee", "requires_note")),
        (Context(has_note=True), ("requires_assignee",)),
        (Context(has_assignee=True), ("requires_note",)),
        (Context(has_assignee=True, has_message=True), ("requires_note",)),
    ],
)
def test_guard_failure_names_every_failing_guard(context: Context, failed: tuple[str]) -> None:
    with pytest.raises(GuardFailed) as info:
        decide(ARENDE, "under_handlaggning", "decide", role="handlaggare", context=context)
    assert info.value.guards == failed


def test_guards_pass_when_the_context_satisfies_them() -> None:
    decision = decide(
        ARENDE,
        "under_handlaggning",
        "decide",
        role="enhetschef",
        context=Context(has_assignee=True, has_note=True),
    )
    assert decision.to_state == "beslutad"


def test_requires_message_guard() -> None:
    with pytest.raises(GuardFailed) as info:
        decide(
            ARENDE,
            "under_handlaggning",
            "request_complement",
            role="handlaggare",
            context=Context(has_assignee=True, has_note=True),
        )
    assert info.value.guards == ("requires_message",)


def test_role_check_comes_before_guards() -> None:
    with pytest.raises(RoleNotAllowed):
        decide(ARENDE, "under_handlaggning", "decide", role="registrator", context=Context())


def test_available_filters_by_role() -> None:
    names = [t.name for t in available(ARENDE, "vantar_komplettering", "handlaggare")]
    assert names == ["resume_handling", "dismiss"]
    assert [t.name for t in available(ARENDE, "vantar_komplettering", "citizen")] == [
        "complemented"
    ]
    assert available(ARENDE, "avvisad", "handlaggare") == []


def test_available_with_a_context_also_checks_guards() -> None:
    without = available(ARENDE, "registrerad", "handlaggare", Context())
    assert [t.name for t in without] == []
    with_assignee = available(ARENDE, "registrerad", "handlaggare", Context(has_assignee=True))
    assert [t.name for t in with_assignee] == ["start_handling"]


def test_system_only_transition_is_for_the_system_alone(
    definition_data: Callable[[], dict[str, Any]],
) -> None:
    data = definition_data()
    data["transitions"][0].update(roles=[], system_only=True)
    definition = load_dict(data)
    assert decide(definition, "ny", "start", role="system").to_state == "pagar"
    for role in ("handlaggare", "admin", "citizen"):
        with pytest.raises(RoleNotAllowed) as info:
            decide(definition, "ny", "start", role=role)
        assert info.value.roles == {"system"}


def test_registry_keeps_every_version(definition_data: Callable[[], dict[str, Any]]) -> None:
    from workflows import Registry, UnknownWorkflow

    v1 = definition_data()
    v2 = definition_data()
    v2["version"] = 2
    v2["title_sv"] = "Prov 2"
    registry = Registry([load_dict(v2), load_dict(v1)])
    assert registry.latest("prov").version == 2
    assert registry.get("prov", 1).title_sv == "Prov"
    assert registry.versions("prov") == [1, 2]
    assert [str(d) for d in registry.all()] == ["prov v1", "prov v2"]
    assert "prov" in registry and list(registry) == ["prov"]
    with pytest.raises(UnknownWorkflow):
        registry.get("prov", 3)
    with pytest.raises(KeyError, match="No workflow 'okand'"):
        registry.latest("okand")
