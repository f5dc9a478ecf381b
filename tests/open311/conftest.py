from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import make_eservice, make_unit

API_KEY = "nyckel-för-test-123"


@pytest.fixture
def open311_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "OPEN311_API_KEYS", f"annan-nyckel,{API_KEY}")
    return app


@pytest.fixture
def pothole_service():
    unit = make_unit("GSF", name="Gatu- och samhällsmiljöförvaltningen")
    return make_eservice(
        unit,
        slug="felanmalan-gata",
        title_sv="Felanmälan gata",
        workflow_key="felanmalan",
        handling_days=5,
        form={
            "fields": [
                {
                    "name": "beskrivning",
                    "type": "textarea",
                    "required": True,
                    "label_sv": "Beskriv",
                },
                {
                    "name": "skada",
                    "type": "select",
                    "required": True,
                    "label_sv": "Typ av skada",
                    "options": [
                        {"value": "hal", "label_sv": "Hål i vägen"},
                        {"value": "lykta", "label_sv": "Trasig lykta"},
                    ],
                },
                {"name": "farlig", "type": "checkbox", "required": False, "label_sv": "Farligt?"},
                {"name": "epost", "type": "email", "required": False, "label_sv": "E-post"},
            ]
        },
    )
