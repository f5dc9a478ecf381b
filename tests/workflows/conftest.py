"""Fixtures for the pure workflow engine: no app, no database."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    """Override the suite-wide transactional fixture: these tests never touch a database."""
    yield


def _base_definition() -> dict[str, Any]:
    return {
        "key": "prov",
        "version": 1,
        "title_sv": "Prov",
        "title_en": "Trial",
        "states": {
            "ny": {"label_sv": "Ny", "label_en": "New", "initial": True},
            "pagar": {"label_sv": "Pågår", "label_en": "Ongoing"},
            "vantar": {"label_sv": "Väntar", "label_en": "Waiting", "pauses_clock": True},
            "klar": {"label_sv": "Klar", "label_en": "Done", "final": True},
        },
        "transitions": [
            {"name": "start", "from": "ny", "to": "pagar", "roles": ["handlaggare"]},
            {
                "name": "wait",
                "from": "pagar",
                "to": "vantar",
                "roles": ["handlaggare"],
                "effects": ["pause_clock"],
            },
            {
                "name": "resume",
                "from": "vantar",
                "to": "pagar",
                "roles": ["citizen"],
                "effects": ["resume_clock"],
            },
            {
                "name": "finish",
                "from": ["pagar", "vantar"],
                "to": "klar",
                "roles": ["handlaggare"],
                "guards": ["requires_note"],
                "effects": ["stop_clock"],
            },
        ],
    }


@pytest.fixture
def definition_data() -> Callable[[], dict[str, Any]]:
    """A factory of a small valid definition as plain data, fresh for each mutation."""
    return lambda: copy.deepcopy(_base_definition())
