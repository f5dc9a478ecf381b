"""Every form field type: valid, invalid and edge values (pure functions, no app)."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.eservices.fields import (
    Invalid,
    Upload,
    clean_form,
    clean_personnummer,
    clean_value,
    luhn_valid,
    safe_filename,
    values_from_form,
)

TODAY = date(2026, 3, 2)
PDF = b"%PDF-1.7\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture(autouse=True)
def db_session():
    """These rules are pure: no app, no database."""
    yield


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("811218-9876", "198112189876"),
        ("19811218-9876", "198112189876"),
        ("198112189876", "198112189876"),
        ("8112189876", "198112189876"),
        (" 811218 - 9876 ", "198112189876"),
        ("811218+9876", "188112189876"),  # + means 100 years or older
        ("701063-2391", "197010632391"),  # samordningsnummer: day 63 = 3 + 60
        ("19701063-2391", "197010632391"),
        ("000229-0005", "200002290005"),  # leap day in a leap year
        ("260302-0005", "202603020005"),  # born today
        ("260303-0004", "192603030004"),  # a date after today is a century back
    ],
)
def test_valid_personnummer_is_normalised_to_twelve_digits(raw: str, normalised: str) -> None:
    assert luhn_valid(normalised[2:])
    assert clean_personnummer(raw, today=TODAY) == normalised


@pytest.mark.parametrize(
    ("raw", "message_start"),
    [
        ("811218-9875", "Kontrollsiffran"),  # wrong check digit
        ("19811218+9876", "Ange personnummer"),  # + only belongs to the 10-digit form
        ("81121-89876", "Ange personnummer"),
        ("811218-987", "Ange personnummer"),
        ("1981121898761", "Ange personnummer"),
        ("abcdef-ghij", "Ange personnummer"),
        ("", "Ange personnummer"),
        ("811318-9875", "Datumet"),  # month 13, valid check digit
        ("810230-9872", "Datumet"),  # 30 February
        ("20300101-0002", "Datumet"),  # born in the future
        ("010229-0004", "Datumet"),  # 29 Feb 2001 does not exist
    ],
)
def test_invalid_personnummer_is_refused_with_a_swedish_message(
    raw: str, message_start: str
) -> None:
    with pytest.raises(Invalid) as caught:
        clean_personnummer(raw, today=TODAY)
    assert caught.value.error.render().startswith(message_start)


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        ({"type": "text"}, "  Trasig   lykta ", "Trasig lykta"),
        ({"type": "textarea"}, "Rad ett\nRad två  ", "Rad ett\nRad två"),
        ({"type": "email"}, "Anna.Svensson@Exempel.SE", "Anna.Svensson@exempel.se"),
        ({"type": "phone"}, "070-123 45 67", "+46701234567"),
        ({"type": "phone"}, "+46 8 123 456 78", "+46812345678"),
        ({"type": "phone"}, "0046 8 123 45 67", "+4681234567"),
        ({"type": "postcode"}, "12345", "123 45"),
        ({"type": "postcode"}, "123 45", "123 45"),
        ({"type": "select", "options": ["a", "b"]}, "b", "b"),
        ({"type": "select", "options": [{"value": "gata"}, {"value": "park"}]}, "park", "park"),
        ({"type": "multiselect", "options": ["a", "b", "c"]}, ["c", "a"], ["a", "c"]),
        ({"type": "checkbox"}, "on", True),
        ({"type": "checkbox"}, "false", False),
        ({"type": "date"}, "2026-02-28", "2026-02-28"),
        ({"type": "date", "validation": {"max": "today"}}, "2026-03-02", "2026-03-02"),
        ({"type": "number", "validation": {"min": 0, "max": 10}}, "7", 7),
        ({"type": "number"}, "2,5", 2.5),
        ({"type": "address"}, {"address": "Storgatan 1"}, {"address": "Storgatan 1"}),
        (
            {"type": "address"},
            {"address": "Storgatan 1", "lat": "59.3293", "long": "18,0686"},
            {"address": "Storgatan 1", "lat": 59.3293, "long": 18.0686},
        ),
        ({"type": "address"}, "Storgatan 1", {"address": "Storgatan 1"}),
    ],
)
def test_valid_values_are_normalised(spec: dict, raw, expected) -> None:
    assert clean_value(spec, raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("spec", "raw", "message_start"),
    [
        ({"type": "text"}, "x" * 201, "Skriv högst 200 tecken"),
        ({"type": "text", "validation": {"max_length": 5}}, "sexsex", "Skriv högst 5 tecken"),
        ({"type": "text", "validation": {"min_length": 3}}, "ab", "Skriv minst 3 tecken"),
        ({"type": "text", "validation": {"pattern": "[A-Z]{3}"}}, "ab1", "Värdet har fel format"),
        ({"type": "textarea"}, "x" * 4001, "Skriv högst 4000 tecken"),
        ({"type": "email"}, "anna.exempel.se", "Ange en giltig e-postadress"),
        ({"type": "email"}, "anna@exempel", "Ange en giltig e-postadress"),
        ({"type": "email"}, "anna..s@exempel.se", "Ange en giltig e-postadress"),
        ({"type": "email"}, "an na@exempel.se", "Ange en giltig e-postadress"),
        ({"type": "phone"}, "070-12", "Ange ett giltigt telefonnummer"),
        ({"type": "phone"}, "ring mig", "Ange ett giltigt telefonnummer"),
        ({"type": "phone"}, "701234567", "Ange ett giltigt telefonnummer"),
        ({"type": "postcode"}, "1234", "Ange ett postnummer"),
        ({"type": "postcode"}, "02345", "Ange ett postnummer"),
        ({"type": "postcode"}, "123-45", "Ange ett postnummer"),
        ({"type": "select", "options": ["a", "b"]}, "c", "Välj ett av alternativen"),
        ({"type": "multiselect", "options": ["a"]}, ["a", "z"], "Välj bland alternativen"),
        ({"type": "checkbox"}, "kanske", "Ogiltigt värde"),
        ({"type": "date"}, "2026-02-30", "Ange datumet som ÅÅÅÅ-MM-DD"),
        ({"type": "date"}, "2/3/2026", "Ange datumet som ÅÅÅÅ-MM-DD"),
        (
            {"type": "date", "validation": {"max": "today"}},
            "2026-03-03",
            "Datumet får inte vara efter",
        ),
        (
            {"type": "date", "validation": {"min": "2026-01-01"}},
            "2025-12-31",
            "Datumet får inte vara före",
        ),
        ({"type": "number"}, "tio", "Ange ett tal"),
        ({"type": "number"}, "nan", "Ange ett tal"),
        ({"type": "number", "validation": {"max": 10}}, "11", "Ange högst 10"),
        ({"type": "number", "validation": {"min": 1}}, "0", "Ange minst 1"),
        ({"type": "address"}, {"address": "Storgatan 1", "lat": "59.3"}, "Ange både latitud"),
        (
            {"type": "address"},
            {"address": "Storgatan 1", "lat": "91", "long": "18"},
            "Kartpunktens",
        ),
        ({"type": "address"}, {"address": "", "lat": "59", "long": "18"}, "Ange en adress"),
    ],
)
def test_invalid_values_get_a_swedish_message(spec: dict, raw, message_start: str) -> None:
    with pytest.raises(Invalid) as caught:
        clean_value(spec, raw, today=TODAY)
    assert caught.value.error.render().startswith(message_start)


FILE_SPEC = {"type": "file", "validation": {"accept": ["pdf", "png"], "max_size": 1024}}


def test_a_pdf_and_a_png_within_limits_are_accepted() -> None:
    files = clean_value(
        FILE_SPEC,
        [Upload("../../etc/Intyg.PDF", "application/pdf", PDF), Upload("bild.png", "", PNG)],
        today=TODAY,
    )
    assert [(f.filename, f.content_type, f.extension) for f in files] == [
        ("Intyg.PDF", "application/pdf", "pdf"),
        ("bild.png", "image/png", "png"),
    ]


@pytest.mark.parametrize(
    ("uploads", "message_start"),
    [
        ([Upload("program.exe", "application/pdf", b"MZ")], "Filen program.exe har en filtyp"),
        ([Upload("falsk.pdf", "application/pdf", b"MZ\x90\x00")], "Innehållet i falsk.pdf"),
        ([Upload("stor.pdf", "application/pdf", PDF + b"x" * 1024)], "Filen stor.pdf är för stor"),
        ([Upload("tom.pdf", "application/pdf", b"")], "Filen tom.pdf är tom"),
        ([Upload(f"{n}.pdf", "application/pdf", PDF) for n in range(4)], "Bifoga högst 3 filer"),
    ],
)
def test_files_outside_the_limits_are_refused(uploads: list[Upload], message_start: str) -> None:
    with pytest.raises(Invalid) as caught:
        clean_value(FILE_SPEC, uploads, today=TODAY)
    assert caught.value.error.render().startswith(message_start)


@pytest.mark.parametrize(
    ("name", "safe"),
    [("..\\..\\boot.ini", "boot.ini"), ("a<b>.pdf", "ab.pdf"), ("", "fil"), ("...", "fil")],
)
def test_file_names_are_made_safe_for_display(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


FORM = [
    {"name": "beskrivning", "type": "textarea", "required": True},
    {"name": "epost", "type": "email"},
    {"name": "samtycke", "type": "checkbox", "required": True},
    {"name": "kategori", "type": "multiselect", "options": ["a", "b"]},
]


def test_required_fields_and_unticked_required_checkbox_are_reported_together() -> None:
    cleaned, errors = clean_form(FORM, {"beskrivning": "  ", "epost": "fel"}, today=TODAY)
    assert {k: e.render() for k, e in errors.items()} == {
        "beskrivning": "Fältet är obligatoriskt.",
        "epost": "Ange en giltig e-postadress, till exempel namn@exempel.se.",
        "samtycke": "Kryssa i rutan för att fortsätta.",
    }
    assert "epost" not in cleaned


def test_blank_optional_fields_are_left_out() -> None:
    cleaned, errors = clean_form(
        FORM, {"beskrivning": "Hej", "epost": "", "samtycke": "on", "kategori": []}, today=TODAY
    )
    assert errors == {}
    assert cleaned == {"beskrivning": "Hej", "samtycke": True}


def test_html_form_values_are_collected_per_field_type() -> None:
    from werkzeug.datastructures import FileStorage, MultiDict

    fields = [
        {"name": "plats", "type": "address"},
        {"name": "val", "type": "multiselect", "options": ["a", "b"]},
        {"name": "bilaga", "type": "file"},
    ]
    form = MultiDict(
        [
            ("plats", "Storgatan 1"),
            ("plats_lat", "59.1"),
            ("plats_long", "18.2"),
            ("val", "a"),
            ("val", "b"),
        ]
    )
    import io

    files = MultiDict(
        [
            ("bilaga", FileStorage(io.BytesIO(PDF), "a.pdf", content_type="x/y")),
            ("bilaga", FileStorage(io.BytesIO(b""), "")),
        ]
    )
    values = values_from_form(fields, form, files)
    assert values["plats"] == {"address": "Storgatan 1", "lat": "59.1", "long": "18.2"}
    assert values["val"] == ["a", "b"]
    assert values["bilaga"] == [Upload("a.pdf", "x/y", PDF)]
