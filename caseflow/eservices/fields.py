"""Form field types of e-services: validation and normalisation, as pure functions.

An e-service's form is data (``EService.form["fields"]``): a list of field specs such as
``{"name": "epost", "type": "email", "required": true, "label_sv": ..., "label_en": ...}``.
This module checks citizens' input against such specs. It imports nothing from Flask, so the
same rules serve the HTML form, the JSON API and the tests. Messages are Swedish source
strings (marked with ``N_`` for extraction); the views translate them with Flask-Babel.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (pure module)."""
    return message


FIELD_TYPES = (
    "text",
    "textarea",
    "email",
    "phone",
    "personnummer",
    "postcode",
    "select",
    "multiselect",
    "checkbox",
    "date",
    "number",
    "address",
    "file",
)
#: Field types whose values are personal data: they go to ``citizens``, never into a case text.
PERSONAL_TYPES = frozenset({"email", "phone", "personnummer"})
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000, "address": 300}
DEFAULT_FILE_TYPES = ("pdf", "jpg", "jpeg", "png")
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_FILES = 3
#: Leading bytes of the file types we accept; a file whose content does not match its
#: extension is refused (a renamed executable is not a PDF).
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
TRUE_VALUES = frozenset({"on", "true", "1", "yes", "ja", "y"})
FALSE_VALUES = frozenset({"", "off", "false", "0", "no", "nej", "n"})


@dataclass(frozen=True)
class FieldError:
    """One message about one field: a Swedish source string and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[..., str] | None = None) -> str:
        if translate is not None:
            return translate(self.message, **self.params)
        return self.message % self.params if self.params else self.message


class Invalid(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.error = FieldError(message, params)


@dataclass(frozen=True)
class Upload:
    """A file as received: what the citizen called it, what the browser claimed, the bytes."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class CleanFile:
    filename: str
    content_type: str
    data: bytes
    extension: str


REQUIRED = N_("Fältet är obligatoriskt.")


# --- personnummer / samordningsnummer -------------------------------------------------------

_PNR = re.compile(r"^(\d{6}|\d{8})([-+]?)(\d{4})$")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check the Swedish Tax Agency uses on the last ten digits."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def clean_personnummer(raw: str, *, today: date) -> str:
    """Normalise a personnummer or samordningsnummer to 12 digits, or raise ``Invalid``.

    Accepts 10 or 12 digits with or without a hyphen. For 10 digits the century is inferred:
    the most recent birth date not after ``today``; a ``+`` separator means the person has
    turned 100, so the date is moved back a further century. A samordningsnummer has 60 added
    to the day of birth.
    """
    text = re.sub(r"\s+", "", str(raw or ""))
    match = _PNR.match(text)
    if not match:
        raise Invalid(N_("Ange personnummer med 10 eller 12 siffror, till exempel 811218-9876."))
    birth, separator, tail = match.groups()
    if len(birth) == 8 and separator == "+":
        raise Invalid(N_("Ange personnummer med 10 eller 12 siffror, till exempel 811218-9876."))
    ten = birth[-6:] + tail
    if not luhn_valid(ten):
        raise Invalid(N_("Kontrollsiffran stämmer inte. Kontrollera personnumret."))
    month, day = int(birth[-4:-2]), int(birth[-2:])
    if day > 60:  # samordningsnummer
        day -= 60
    if len(birth) == 8:
        year = int(birth[:4])
    else:
        year = _infer_year(int(birth[:2]), month, day, plus=separator == "+", today=today)
    try:
        born = date(year, month, day)
    except ValueError:
        raise Invalid(N_("Datumet i personnumret finns inte.")) from None
    if born > today:
        raise Invalid(N_("Datumet i personnumret finns inte."))
    return f"{year:04d}{birth[-4:]}{tail}"


def _infer_year(yy: int, month: int, day: int, *, plus: bool, today: date) -> int:
    """The latest year ending in ``yy`` whose (month, day) is on or before the reference day."""
    reference_year = today.year - (100 if plus else 0)
    year = reference_year - ((reference_year - yy) % 100)
    if (month, day) > (today.month, today.day) and year == reference_year:
        year -= 100
    return year


# --- single values ---------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")
_POSTCODE = re.compile(r"^([1-9]\d{2})\s?(\d{2})$")


def _text(spec: Mapping[str, Any], value: Any) -> str:
    text = str(value).strip()
    if spec.get("type") != "textarea":
        text = " ".join(text.split())
    rules = spec.get("validation") or {}
    limit = int(rules.get("max_length") or DEFAULT_MAX_LENGTH.get(spec.get("type", ""), 200))
    if len(text) > limit:
        raise Invalid(
            N_("Skriv högst %(max)d tecken (du skrev %(count)d)."), max=limit, count=len(text)
        )
    minimum = int(rules.get("min_length") or 0)
    if len(text) < minimum:
        raise Invalid(N_("Skriv minst %(min)d tecken."), min=minimum)
    pattern = rules.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        raise Invalid(N_("Värdet har fel format."))
    return text


def clean_email(value: Any) -> str:
    text = str(value).strip()
    if len(text) > 254 or not _EMAIL.match(text) or ".." in text:
        raise Invalid(N_("Ange en giltig e-postadress, till exempel namn@exempel.se."))
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_phone(value: Any) -> str:
    """Normalise to E.164; a leading 0 is a Swedish national number (+46)."""
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if not _PHONE_CHARS.match(text) or not 7 <= len(digits) <= 15:
        raise Invalid(N_("Ange ett giltigt telefonnummer, till exempel 070-123 45 67."))
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+46" + digits[1:]
    raise Invalid(N_("Ange ett giltigt telefonnummer, till exempel 070-123 45 67."))


def clean_postcode(value: Any) -> str:
    match = _POSTCODE.match(str(value).strip())
    if not match:
        raise Invalid(N_("Ange ett postnummer med fem siffror, till exempel 123 45."))
    return f"{match.group(1)} {match.group(2)}"


def option_values(spec: Mapping[str, Any]) -> list[str]:
    """Options may be plain strings or ``{"value", "label_sv", "label_en"}`` objects."""
    return [
        str(o["value"]) if isinstance(o, Mapping) else str(o) for o in spec.get("options") or []
    ]


def _select(spec: Mapping[str, Any], value: Any) -> str:
    text = str(value).strip()
    if text not in option_values(spec):
        raise Invalid(N_("Välj ett av alternativen."))
    return text


def _multiselect(spec: Mapping[str, Any], value: Any) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    chosen = [str(v).strip() for v in values if str(v).strip()]
    allowed = option_values(spec)
    if any(v not in allowed for v in chosen):
        raise Invalid(N_("Välj bland alternativen."))
    return [v for v in allowed if v in chosen]


def _checkbox(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise Invalid(N_("Ogiltigt värde för kryssrutan."))


def _bound_date(raw: Any, today: date) -> date | None:
    if raw in (None, ""):
        return None
    return today if raw == "today" else date.fromisoformat(str(raw))


def _date(spec: Mapping[str, Any], value: Any, today: date) -> str:
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        parsed = date.fromisoformat(text)
    except ValueError:
        raise Invalid(N_("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15.")) from None
    rules = spec.get("validation") or {}
    low, high = _bound_date(rules.get("min"), today), _bound_date(rules.get("max"), today)
    if low and parsed < low:
        raise Invalid(N_("Datumet får inte vara före %(date)s."), date=low.isoformat())
    if high and parsed > high:
        raise Invalid(N_("Datumet får inte vara efter %(date)s."), date=high.isoformat())
    return parsed.isoformat()


def _number(spec: Mapping[str, Any], value: Any) -> int | float:
    text = str(value).strip().replace(",", ".").replace(" ", "")
    try:
        number = float(text)
    except ValueError:
        raise Invalid(N_("Ange ett tal.")) from None
    if not math.isfinite(number):
        raise Invalid(N_("Ange ett tal."))
    rules = spec.get("validation") or {}
    if rules.get("min") is not None and number < float(rules["min"]):
        raise Invalid(N_("Ange minst %(min)s."), min=rules["min"])
    if rules.get("max") is not None and number > float(rules["max"]):
        raise Invalid(N_("Ange högst %(max)s."), max=rules["max"])
    return int(number) if number.is_integer() else number


def _coordinate(raw: Any, low: float, high: float) -> float:
    number = float(str(raw).strip().replace(",", "."))
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(raw)
    return round(number, 7)


def _address(spec: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """An address line with an optional map point; both coordinates or neither."""
    if not isinstance(value, Mapping):
        value = {"address": value}
    address = " ".join(str(value.get("address") or "").split())
    lat, long = value.get("lat"), value.get("long")
    lat = None if lat in (None, "") else lat
    long = None if long in (None, "") else long
    if not address:
        raise Invalid(N_("Ange en adress. Kartpunkten är ett frivilligt tillägg."))
    limit = int((spec.get("validation") or {}).get("max_length") or DEFAULT_MAX_LENGTH["address"])
    if len(address) > limit:
        raise Invalid(
            N_("Skriv högst %(max)d tecken (du skrev %(count)d)."), max=limit, count=len(address)
        )
    result: dict[str, Any] = {"address": address}
    if (lat is None) != (long is None):
        raise Invalid(N_("Ange både latitud och longitud för kartpunkten, eller ingen av dem."))
    if lat is not None:
        try:
            result["lat"] = _coordinate(lat, -90, 90)
            result["long"] = _coordinate(long, -180, 180)
        except ValueError:
            raise Invalid(N_("Kartpunktens koordinater är ogiltiga.")) from None
    return result


def _files(spec: Mapping[str, Any], uploads: Sequence[Upload]) -> list[CleanFile]:
    rules = spec.get("validation") or {}
    allowed = [str(t).lower().lstrip(".") for t in rules.get("accept") or DEFAULT_FILE_TYPES]
    max_bytes = int(rules.get("max_size") or DEFAULT_MAX_FILE_BYTES)
    max_files = int(rules.get("max_files") or DEFAULT_MAX_FILES)
    if len(uploads) > max_files:
        raise Invalid(N_("Bifoga högst %(max)d filer."), max=max_files)
    cleaned = []
    for upload in uploads:
        name = safe_filename(upload.filename)
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        if extension not in allowed:
            raise Invalid(
                N_("Filen %(name)s har en filtyp som inte är tillåten (tillåtna: %(types)s)."),
                name=name,
                types=", ".join(allowed),
            )
        if not upload.data:
            raise Invalid(N_("Filen %(name)s är tom."), name=name)
        if len(upload.data) > max_bytes:
            raise Invalid(
                N_("Filen %(name)s är för stor (högst %(max)s MB)."),
                name=name,
                max=_megabytes(max_bytes),
            )
        magic = MAGIC.get(extension)
        if magic and not upload.data.startswith(magic):
            raise Invalid(N_("Innehållet i %(name)s stämmer inte med filtypen."), name=name)
        content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        cleaned.append(CleanFile(name, content_type, upload.data, extension))
    return cleaned


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value.is_integer() else f"{value:.1f}".replace(".", ",")


def safe_filename(name: str) -> str:
    """The citizen's file name for display only (storage uses a random key)."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", base).strip(" .")
    return base[-255:] or "fil"


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_blank(v) for v in value)
    if isinstance(value, Mapping):
        return all(is_blank(v) for v in value.values())
    return False


def clean_value(spec: Mapping[str, Any], value: Any, *, today: date) -> Any:
    """Validate and normalise one non-blank value; raise ``Invalid`` with a Swedish message."""
    kind = spec.get("type", "text")
    if kind in ("text", "textarea"):
        return _text(spec, value)
    if kind == "email":
        return clean_email(value)
    if kind == "phone":
        return clean_phone(value)
    if kind == "personnummer":
        return clean_personnummer(value, today=today)
    if kind == "postcode":
        return clean_postcode(value)
    if kind == "select":
        return _select(spec, value)
    if kind == "multiselect":
        return _multiselect(spec, value)
    if kind == "checkbox":
        return _checkbox(value)
    if kind == "date":
        return _date(spec, value, today)
    if kind == "number":
        return _number(spec, value)
    if kind == "address":
        return _address(spec, value)
    if kind == "file":
        return _files(spec, value if isinstance(value, list | tuple) else [value])
    raise ValueError(f"unknown field type {kind!r}")


def clean_form(
    fields: Sequence[Mapping[str, Any]], values: Mapping[str, Any], *, today: date
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """Check every field; returns (cleaned values, errors by field name).

    Blank optional fields are left out of the cleaned values. A required checkbox must be
    ticked (consent); a required file field needs at least one file.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for spec in fields:
        name = spec["name"]
        value = values.get(name)
        kind = spec.get("type", "text")
        try:
            if kind == "checkbox":
                ticked = False if value is None else _checkbox(value)
                if spec.get("required") and not ticked:
                    raise Invalid(N_("Kryssa i rutan för att fortsätta."))
                cleaned[name] = ticked
                continue
            if is_blank(value):
                if spec.get("required"):
                    raise Invalid(REQUIRED)
                continue
            cleaned[name] = clean_value(spec, value, today=today)
        except Invalid as exc:
            errors[name] = exc.error
    return cleaned, errors


def values_from_form(
    fields: Sequence[Mapping[str, Any]], form: Any, files: Any | None = None
) -> dict[str, Any]:
    """Collect raw values from an HTML form (anything with ``get``/``getlist``).

    Addresses come as ``<name>``, ``<name>_lat`` and ``<name>_long``; files as
    ``Upload`` objects built from ``files`` (werkzeug ``FileStorage`` or alike).
    """
    values: dict[str, Any] = {}
    for spec in fields:
        name, kind = spec["name"], spec.get("type", "text")
        if kind == "multiselect":
            values[name] = form.getlist(name)
        elif kind == "address":
            values[name] = {
                "address": form.get(name, ""),
                "lat": form.get(f"{name}_lat", ""),
                "long": form.get(f"{name}_long", ""),
            }
        elif kind == "file":
            stored = files.getlist(name) if files is not None else []
            values[name] = [
                Upload(f.filename or "", f.mimetype or "", f.read())
                for f in stored
                if f and f.filename
            ]
        else:
            values[name] = form.get(name)
    return values


def redisplay_values(fields: Sequence[Mapping[str, Any]], form: Any) -> dict[str, Any]:
    """What the citizen typed, to refill a form that had errors (never files)."""
    values = values_from_form([f for f in fields if f.get("type") != "file"], form)
    return {k: v for k, v in values.items() if v is not None}
