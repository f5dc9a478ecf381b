"""Prepare the benchmark database: Caseflow's schema, one unit and one published e-service
(the JSON submission target), and the baseline's table.

Run with ``CASEFLOW_DATABASE_URL`` set (see ``run.sh``).
"""

from __future__ import annotations

from flask_migrate import upgrade

from caseflow import create_app
from caseflow.db import utcnow
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.units.models import Unit

SLUG = "felanmalan-gata"
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
        {
            "name": "beskrivning",
            "type": "textarea",
            "required": True,
            "label_sv": "Beskriv felet",
            "label_en": "Describe the fault",
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
            "name": "samtycke",
            "type": "checkbox",
            "required": True,
            "label_sv": "Jag har läst informationen om personuppgifter",
            "label_en": "I have read the privacy notice",
        },
    ]
}


def main() -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        if db.session.execute(db.select(EService).where(EService.slug == SLUG)).scalar():
            return
        unit = Unit(name="Gatukontoret", prefix="GK")
        db.session.add(unit)
        db.session.flush()
        db.session.add(
            EService(
                slug=SLUG,
                title_sv="Felanmälan gata",
                title_en="Report a street fault",
                unit_id=unit.id,
                workflow_key="felanmalan",
                handling_days=5,
                form=FORM,
                published_at=utcnow(),
            )
        )
        db.session.commit()


if __name__ == "__main__":
    main()
