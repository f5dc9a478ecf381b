"""An e-service with one field of every kind citizens fill in, and a submitter's data."""

from __future__ import annotations

import pytest

from caseflow.eservices.models import EService
from tests.factories import make_eservice, make_unit

FORM = {
    "fields": [
        {"name": "namn", "type": "text", "required": True, "label_sv": "Namn", "label_en": "Name"},
        {
            "name": "epost",
            "type": "email",
            "required": True,
            "label_sv": "E-postadress",
            "label_en": "E-mail address",
        },
        {"name": "telefon", "type": "phone", "label_sv": "Telefon", "label_en": "Phone"},
        {
            "name": "personnummer",
            "type": "personnummer",
            "label_sv": "Personnummer",
            "label_en": "Personal identity number",
        },
        {
            "name": "beskrivning",
            "type": "textarea",
            "required": True,
            "label_sv": "Beskriv felet",
            "label_en": "Describe the fault",
            "help_sv": "Vad är trasigt?",
            "help_en": "What is broken?",
        },
        {
            "name": "kategori",
            "type": "select",
            "label_sv": "Kategori",
            "label_en": "Category",
            "options": [
                {"value": "gata", "label_sv": "Gata", "label_en": "Street"},
                {"value": "park", "label_sv": "Park", "label_en": "Park"},
            ],
        },
        {"name": "plats", "type": "address", "label_sv": "Plats", "label_en": "Location"},
        {
            "name": "postnummer",
            "type": "postcode",
            "label_sv": "Postnummer",
            "label_en": "Postcode",
        },
        {"name": "datum", "type": "date", "label_sv": "När hände det?", "label_en": "When?"},
        {"name": "bilaga", "type": "file", "label_sv": "Bilaga", "label_en": "Attachment"},
        {
            "name": "samtycke",
            "type": "checkbox",
            "required": True,
            "label_sv": "Jag har läst informationen om personuppgifter",
            "label_en": "I have read the privacy notice",
        },
    ]
}

SUBMITTER = {
    "namn": "Greta Gatlykta",
    "epost": "greta.gatlykta@example.se",
    "telefon": "070-987 65 43",
    "personnummer": "811218-9876",
}


def valid_form(**overrides: str) -> dict[str, str]:
    data = {
        **SUBMITTER,
        "beskrivning": "Gatlyktan utanför nummer 4 är trasig.",
        "kategori": "gata",
        "plats": "Storgatan 4",
        "plats_lat": "59.3293",
        "plats_long": "18.0686",
        "postnummer": "12345",
        "datum": "2026-01-15",
        "samtycke": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def eservice() -> EService:
    unit = make_unit(name="Gatukontoret")
    return make_eservice(
        unit,
        slug="felanmalan-test",
        title_sv="Felanmälan gata",
        title_en="Report a street fault",
        description_sv="Anmäl fel på gator.",
        description_en="Report faults on streets.",
        workflow_key="arende",
        handling_days=5,
        form=FORM,
    )
