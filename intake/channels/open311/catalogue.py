"""E-services as Open311 services: service list and service definitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow.db import utcnow
from caseflow.eservices.models import EService
from caseflow.extensions import db

#: Form fields carried by GeoReport's own arguments, not by attributes.
STANDARD_FIELDS = {
    "beskrivning",
    "description",
    "epost",
    "email",
    "telefon",
    "phone",
    "namn",
    "name",
    "plats",
    "address",
    "personnummer",
}
#: Field types never collected through an open, key-authenticated API.
EXCLUDED_TYPES = {"personnummer", "file", "email", "phone", "address"}
DATATYPES = {
    "text": "string",
    "postcode": "string",
    "number": "number",
    "date": "datetime",
    "textarea": "text",
    "select": "singlevaluelist",
    "multiselect": "multivaluelist",
    "checkbox": "singlevaluelist",
}


def published_eservices(at: datetime | None = None) -> list[EService]:
    at = at or utcnow()
    stmt = (
        sa.select(EService)
        .where(
            EService.published_at.is_not(None),
            EService.published_at <= at,
            sa.or_(EService.retired_at.is_(None), EService.retired_at > at),
        )
        .order_by(EService.slug)
    )
    return list(db.session.execute(stmt).scalars())


def published_eservice(code: str) -> EService | None:
    return next((e for e in published_eservices() if e.slug == code), None)


def attribute_fields(eservice: EService) -> list[dict[str, Any]]:
    fields = (eservice.form or {}).get("fields", [])
    return [
        f
        for f in fields
        if f.get("name") not in STANDARD_FIELDS
        and f.get("type") not in EXCLUDED_TYPES
        and f.get("type") in DATATYPES
    ]


def service(eservice: EService) -> dict[str, Any]:
    return {
        "service_code": eservice.slug,
        "service_name": eservice.title_sv,
        "description": eservice.description_sv or None,
        "metadata": bool(attribute_fields(eservice)),
        "type": "realtime",
        "keywords": None,
        "group": eservice.unit.name,
    }


def _values(field: dict[str, Any]) -> list[dict[str, str]] | None:
    if field.get("type") == "checkbox":
        return [{"key": "true", "name": "Ja"}, {"key": "false", "name": "Nej"}]
    options = field.get("options")
    if not options:
        return None
    return [
        {"key": str(o["value"]), "name": str(o.get("label_sv", o["value"]))}
        if isinstance(o, dict)
        else {"key": str(o), "name": str(o)}
        for o in options
    ]


def definition(eservice: EService) -> dict[str, Any]:
    attributes = []
    for order, field in enumerate(attribute_fields(eservice), start=1):
        attribute: dict[str, Any] = {
            "variable": True,
            "code": field["name"],
            "datatype": DATATYPES[field["type"]],
            "required": bool(field.get("required")),
            "datatype_description": field.get("help_sv"),
            "order": order,
            "description": field.get("label_sv", field["name"]),
        }
        values = _values(field)
        if values is not None:
            attribute["values"] = values
        attributes.append(attribute)
    return {"service_code": eservice.slug, "attributes": attributes}
