"""Rendered diagrams and tables name every state and transition, and the docs are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows import default_registry
from workflows.render import main, render_all, to_markdown, to_mermaid

KEYS = default_registry().keys()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "workflows"


@pytest.mark.parametrize("key", KEYS)
def test_mermaid_names_every_state_and_transition(key: str) -> None:
    definition = default_registry().latest(key)
    diagram = to_mermaid(definition)
    assert diagram.startswith("stateDiagram-v2\n")
    assert f"[*] --> {definition.initial_state}" in diagram
    for state in definition.states.values():
        assert f'state "{state.label_sv}" as {state.name}' in diagram
    for t in definition.transitions:
        for source in t.sources:
            assert f"{source} --> {t.target}: {t.label_sv} ({t.name})" in diagram
    for name in definition.final_states:
        assert f"{name} --> [*]" in diagram


@pytest.mark.parametrize("key", KEYS)
def test_markdown_table_lists_every_state_and_transition(key: str) -> None:
    definition = default_registry().latest(key)
    text = to_markdown(definition)
    assert "```mermaid\nstateDiagram-v2" in text
    for state in definition.states.values():
        assert f"| `{state.name}` | {state.label_sv} | {state.label_en} |" in text
    for t in definition.transitions:
        assert f"| `{t.name}` | {t.label_sv} | {t.label_en} |" in text


def test_committed_docs_are_up_to_date() -> None:
    for name, text in render_all(default_registry()).items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, (
            f"docs/workflows/{name} is stale: run python -m workflows.render"
        )


def test_cli_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--check"]) == 1
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{k}.md" for k in KEYS]
    assert main([str(tmp_path), "--check"]) == 0
    assert "out of date" in capsys.readouterr().out
