"""POST Service Request: validate GeoReport arguments, register, open the case at once."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import current_app
from werkzeug.datastructures import MultiDict

from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.citizens.models import Citizen
from caseflow.citizens.services import find_or_create_citizen
from caseflow.enums import Channel
from caseflow.eservices.fields import Invalid, clean_email, clean_phone
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.usage.services import record_usage
from intake.channels.open311.catalogue import attribute_fields
from intake.models import IntakeStatus
from intake.services import receive

MAX_DESCRIPTION = 4000
MAX_NAME = 100  # first and last name; the citizen's name column holds 200
MAX_URL = 2000
_LOOSE_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{2,38}$")
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass
class ParsedRequest:
    service_code: str
    description: str
    location: dict[str, Any]
    attributes: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)
    media_url: str | None = None


def api_key_valid(given: str | None) -> bool:
    """Constant-time comparison against every configured key."""
    keys = [k.strip() for k in str(current_app.config.get("OPEN311_API_KEYS") or "").split(",")]
    given = given or ""
    return bool(given) and any(
        hmac.compare_digest(given.encode(), key.encode()) for key in keys if key
    )


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _float(form: MultiDict, name: str, low: float, high: float) -> float:
    try:
        value = float(form[name])
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not low <= value <= high:
        raise Open311Error(400, f"{name} is out of range")
    return value


def parse(form: MultiDict, eservice: EService) -> ParsedRequest:
    """Check location, description and the service definition's attributes (400 on errors)."""
    lat, long = _blank_to_none(form.get("lat")), _blank_to_none(form.get("long"))
    address = _blank_to_none(form.get("address_string"))
    address_id = _blank_to_none(form.get("address_id"))
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long must be given together")
    if lat is None and address is None and address_id is None:
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    location: dict[str, Any] = {"address_string": address, "address_id": address_id}
    if lat is not None:
        location["lat"] = _float(form, "lat", -90, 90)
        location["long"] = _float(form, "long", -180, 180)
    description = (form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description is longer than {MAX_DESCRIPTION} characters")
    given: dict[str, Any] = {}
    for key in form:
        match = _ATTRIBUTE.match(key)
        if match:
            values = [v for v in form.getlist(key) if v != ""]
            given[match.group(1)] = values if match.group(2) else (values[0] if values else None)
    attributes: dict[str, Any] = {}
    for spec in attribute_fields(eservice):
        value = given.get(spec["name"])
        if spec.get("required") and value in (None, [], ""):
            raise Open311Error(400, f"attribute[{spec['name']}] is required")
        allowed = _allowed_values(spec)
        if value not in (None, []) and allowed is not None:
            for item in value if isinstance(value, list) else [value]:
                if item not in allowed:
                    raise Open311Error(400, f"attribute[{spec['name']}] has an unknown value")
        if value not in (None, []):
            attributes[spec["name"]] = value
    return ParsedRequest(
        eservice.slug,
        description,
        location,
        attributes,
        _contact(form),
        _media_url(form),
    )


def _contact(form: MultiDict) -> dict[str, str]:
    """Reporter details, normalised like the web form's (400 when malformed or too long)."""
    contact: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        value = _blank_to_none(form.get(name))
        if value is not None:
            if len(value) > MAX_NAME:
                raise Open311Error(400, f"{name} is longer than {MAX_NAME} characters")
            contact[name] = value
    email = _blank_to_none(form.get("email"))
    if email is not None:
        try:
            contact["email"] = clean_email(email)
        except Invalid:
            raise Open311Error(400, "email is not a valid e-mail address") from None
    phone = _blank_to_none(form.get("phone"))
    if phone is not None:
        try:
            contact["phone"] = clean_phone(phone)
        except Invalid:
            # Clients pass on what people typed (the spec's own example is "111111111"):
            # kept as given when it looks like a number at all.
            if not _LOOSE_PHONE.match(phone):
                raise Open311Error(400, "phone is not a phone number") from None
            contact["phone"] = phone
    return contact


def _media_url(form: MultiDict) -> str | None:
    """An http(s) URL (clients render it as a link or an image), at most 2000 characters."""
    value = _blank_to_none(form.get("media_url"))
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > MAX_URL:
        raise Open311Error(400, "media_url must be an http or https URL")
    return value


def _allowed_values(spec: dict[str, Any]) -> set[str] | None:
    if spec.get("type") == "checkbox":
        return {"true", "false"}
    options = spec.get("options")
    if not options:
        return None
    return {str(o["value"]) if isinstance(o, dict) else str(o) for o in options}


def _stored_body(form: MultiDict) -> bytes:
    """The registration keeps what was sent, except the API key."""
    pairs = [(k, v) for k in sorted(form) if k != "api_key" for v in form.getlist(k)]
    return urlencode(pairs).encode("utf-8")


def _citizen(contact: dict[str, str]) -> Citizen | None:
    """The reporter, matched like every other channel's (never a protected identity by
    e-mail, contact data on file completed, never overwritten)."""
    if not contact:
        return None
    name = " ".join(p for p in (contact.get("first_name"), contact.get("last_name")) if p)
    return find_or_create_citizen(
        name=name or None, email=contact.get("email"), phone=contact.get("phone")
    )


def submit(form: MultiDict, eservice: EService, api_key: str) -> Case:
    """Register the request and open its case in this transaction; duplicates return the first.

    The registration's id is a hash of the body (minus the key) and the key, so a client
    retrying the same POST gets the same service_request_id instead of a second case.
    """
    parsed = parse(form, eservice)
    raw = _stored_body(form)
    key_id = hashlib.sha256(api_key.encode()).hexdigest()[:16]
    external_id = hashlib.sha256(key_id.encode() + b"\n" + raw).hexdigest()
    item, created = receive(
        Channel.OPEN311,
        external_id,
        raw,
        kind="service_request",
        process=False,
        data={
            "service_code": parsed.service_code,
            **parsed.location,
            "attributes": parsed.attributes,
            "media_url": parsed.media_url,
        },
    )
    if not created and item.case_id is not None:
        return db.session.get(Case, item.case_id)  # type: ignore[return-value]
    summary = parsed.description.splitlines()[0][:120] if parsed.description else ""
    lines = [parsed.description] if parsed.description else []
    where = parsed.location.get("address_string") or ""
    if "lat" in parsed.location:
        where = f"{where} ({parsed.location['lat']}, {parsed.location['long']})".strip()
    if where:
        lines.append(f"Plats: {where}")
    lines += [
        f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in parsed.attributes.items()
    ]
    case = open_case(
        unit=eservice.unit,
        title=summary or eservice.title_sv,
        description="\n".join(lines),
        channel=Channel.OPEN311,
        eservice=eservice,
        citizen=_citizen(parsed.contact),
        actor_label="open311",
    )
    item.case_id = case.id
    item.status = IntakeStatus.PROCESSED
    item.processed_at = case.opened_at
    record_usage(
        "form_submitted", eservice_id=eservice.id, channel=Channel.OPEN311, unit_id=eservice.unit_id
    )
    db.session.flush()
    return case
