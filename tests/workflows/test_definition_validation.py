"""Each load-time rule has its own error, and the error says what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workflows import WorkflowDefinitionError, load_dict, load_file, loads
from workflows.errors import (
    ClockEffectMismatch,
    DuplicateTransitionName,
    DuplicateVersion,
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
from workflows.registry import Registry

DataFactory = Callable[[], dict[str, Any]]


def _transition(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in data["transitions"] if t["name"] == name)


def test_valid_definition_loads(definition_data: DataFactory) -> None:
    definition = load_dict(definition_data())
    assert definition.initial_state == "ny"
    assert definition.final_states == ("klar",)
    assert definition.state("vantar").pauses_clock
    assert definition.state("klar").open311_status == "closed"
    assert definition.state("ny").public_label_sv == "Ny"  # defaults to the label


def test_every_rule_error_is_a_definition_error() -> None:
    for error in (
        InitialStateError,
        UnreachableState,
        TransitionFromFinalState,
        UnknownState,
        UnknownRole,
        UnknownGuard,
        UnknownEffect,
        DuplicateTransitionName,
    ):
        assert issubclass(error, WorkflowDefinitionError)


def test_no_initial_state_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    data["states"]["ny"]["initial"] = False
    with pytest.raises(InitialStateError, match="exactly one initial state, found 0"):
        load_dict(data)


def test_two_initial_states_are_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    data["states"]["pagar"]["initial"] = True
    with pytest.raises(InitialStateError, match=r"found 2 \(ny, pagar\)"):
        load_dict(data)


def test_unreachable_state_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    data["states"]["glomd"] = {"label_sv": "Glömd", "label_en": "Forgotten", "final": True}
    with pytest.raises(UnreachableState, match="'glomd' cannot be reached from 'ny'"):
        load_dict(data)


def test_transition_out_of_final_state_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    data["transitions"].append({"name": "undo", "from": "klar", "to": "pagar", "roles": ["admin"]})
    with pytest.raises(TransitionFromFinalState, match="'undo' leaves final state 'klar'"):
        load_dict(data)


def test_unknown_target_state_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "start")["to"] = "pagaar"
    with pytest.raises(UnknownState, match="'start' names unknown state 'pagaar'"):
        load_dict(data)


def test_unknown_source_state_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "finish")["from"] = ["pagar", "okand"]
    with pytest.raises(UnknownState, match="unknown state 'okand'"):
        load_dict(data)


def test_unknown_role_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "start")["roles"] = ["handlaggare", "chef"]
    with pytest.raises(UnknownRole, match="unknown role 'chef'"):
        load_dict(data)


def test_unknown_guard_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "start")["guards"] = ["requires_coffee"]
    with pytest.raises(UnknownGuard, match="unknown guard 'requires_coffee'"):
        load_dict(data)


def test_unknown_effect_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "start")["effects"] = ["send_fax"]
    with pytest.raises(UnknownEffect, match="unknown effect 'send_fax'"):
        load_dict(data)


def test_duplicate_transition_name_from_one_state_is_rejected(
    definition_data: DataFactory,
) -> None:
    data = definition_data()
    data["transitions"].append(
        {"name": "start", "from": "ny", "to": "klar", "roles": ["admin"], "effects": ["stop_clock"]}
    )
    with pytest.raises(
        DuplicateTransitionName, match="two transitions named 'start' leave state 'ny'"
    ):
        load_dict(data)


def test_same_transition_name_from_different_states_is_fine(definition_data: DataFactory) -> None:
    data = definition_data()
    data["transitions"].append(
        {"name": "start", "from": "vantar", "to": "pagar", "roles": ["admin"]}
    )
    data["transitions"][-1]["effects"] = ["resume_clock"]
    definition = load_dict(data)
    assert definition.find("vantar", "start") is not None


def test_system_only_transition_listing_people_is_rejected(definition_data: DataFactory) -> None:
    data = definition_data()
    _transition(data, "start")["system_only"] = True
    with pytest.raises(SystemOnlyWithRoles, match="'start' is system_only but lists"):
        load_dict(data)


@pytest.mark.parametrize(
    ("name", "effects", "why"),
    [
        ("finish", [], "enters final state 'klar' without stop_clock"),
        ("wait", [], "enters pausing state 'vantar' without pause_clock"),
        ("resume", [], "leaves a pausing state without resume_clock"),
        ("start", ["pause_clock"], "has pause_clock but 'pagar' does not pause"),
    ],
)
def test_clock_effects_must_follow_the_states(
    definition_data: DataFactory, name: str, effects: list[str], why: str
) -> None:
    data = definition_data()
    _transition(data, name)["effects"] = effects
    with pytest.raises(ClockEffectMismatch, match=why):
        load_dict(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("title_sv"), "title_sv must be a non-empty string"),
        (lambda d: d.update(version=0), "version must be a positive integer"),
        (lambda d: d.update(states={}), "needs a"),
        (lambda d: d["states"]["ny"].update(final="yes"), "final must be true or false"),
        (lambda d: d["states"]["ny"].update(open311_status="pending"), "open311_status"),
        (lambda d: d["transitions"][0].update(roles=[]), "lists no roles"),
        (lambda d: d["transitions"][0].update(to=None), "'to' must name a state"),
        (lambda d: d["transitions"][0].update({"from": []}), "'from' must name"),
        (lambda d: d["transitions"][0].update(name="Start!"), "lower-case ASCII"),
    ],
)
def test_malformed_fields_are_rejected(
    definition_data: DataFactory, mutate: Callable[[dict[str, Any]], object], message: str
) -> None:
    data = definition_data()
    mutate(data)
    with pytest.raises(MalformedDefinition, match=message):
        load_dict(data)


def test_file_name_gives_key_and_version(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "data" / "prov.toml").read_text(encoding="utf-8")
    path = tmp_path / "prov.v3.toml"
    path.write_text(text, encoding="utf-8")
    definition = load_file(path)
    assert (definition.key, definition.version) == ("prov", 3)


def test_file_name_must_name_a_version(tmp_path: Path) -> None:
    path = tmp_path / "prov.toml"
    path.write_text('title_sv = "x"', encoding="utf-8")
    with pytest.raises(MalformedDefinition, match=r"<key>\.v<version>\.toml"):
        load_file(path)


def test_file_content_must_agree_with_its_name(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "data" / "prov.toml").read_text(encoding="utf-8")
    path = tmp_path / "prov.v2.toml"
    path.write_text("version = 1\n" + text, encoding="utf-8")
    with pytest.raises(MalformedDefinition, match="version 1 disagrees with the file name"):
        load_file(path)


def test_broken_toml_is_a_definition_error() -> None:
    with pytest.raises(MalformedDefinition, match="Not valid TOML"):
        loads("title_sv = ", key="prov", version=1)


def test_registry_rejects_two_definitions_of_one_version(definition_data: DataFactory) -> None:
    with pytest.raises(DuplicateVersion, match="prov v1 is defined twice"):
        Registry([load_dict(definition_data()), load_dict(definition_data())])
