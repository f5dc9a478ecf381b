"""A citizen, by keyboard alone in headless Chromium: finds an e-service, gets the form's
errors, submits, reads the receipt, follows the tracking link and sends a complement; axe-core
finds no WCAG 2.1 A/AA violations on the catalogue, form with errors, receipt and tracking."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.transitions import transition_case
from caseflow.extensions import db
from caseflow.messages.models import Direction, Message
from tests.browser.conftest import axe_violations
from tests.eservices.conftest import FORM as EVERY_FIELD_TYPE
from tests.factories import make_eservice, make_unit, make_user

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
            "name": "personnummer",
            "type": "personnummer",
            "label_sv": "Personnummer",
            "label_en": "Personal identity number",
            "help_sv": "10 eller 12 siffror.",
            "help_en": "10 or 12 digits.",
        },
        {
            "name": "kategori",
            "type": "select",
            "required": True,
            "label_sv": "Vad gäller det?",
            "label_en": "What is it about?",
            "options": [
                {"value": "altan", "label_sv": "Altan", "label_en": "Deck"},
                {"value": "garage", "label_sv": "Garage", "label_en": "Garage"},
            ],
        },
        {
            "name": "beskrivning",
            "type": "textarea",
            "required": True,
            "label_sv": "Din fråga",
            "label_en": "Your question",
            "help_sv": "Beskriv vad du vill bygga.",
            "help_en": "Describe what you want to build.",
        },
        {
            "name": "samtycke",
            "type": "checkbox",
            "required": True,
            "label_sv": "Jag har läst hur kommunen behandlar personuppgifter",
            "label_en": "I have read how the municipality handles personal data",
        },
    ]
}


@pytest.fixture(scope="module")
def seeded(live_app: Flask, live_server: str) -> dict[str, int]:
    with live_app.app_context():
        unit = make_unit("BYGG", name="Bygglovsenheten")
        eservice = make_eservice(
            unit,
            slug="fraga-om-bygglov",
            title_sv="Fråga om bygglov",
            title_en="Ask about building permits",
            description_sv="Ställ en fråga till bygglovshandläggarna.",
            description_en="Ask the building permit officers a question.",
            handling_days=10,
            form=FORM,
        )
        make_eservice(
            unit,
            slug="alla-faltsorter",
            title_sv="Alla fältsorter",
            title_en="Every field type",
            form=EVERY_FIELD_TYPE,
        )
        user = make_user("handlaggare", units=[unit], email="bygg@kommun.example")
        db.session.commit()
        ids = {"eservice": eservice.id, "user": user.id}
        db.session.remove()
    return ids


def no_violations(page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {name}: {violations}"


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard reachability)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def ask_for_complement(live_app: Flask, token: str, user_id: int) -> None:
    """The caseworker's side, straight through the services: take the case, ask for more."""
    with live_app.app_context():
        case = db.session.execute(sa.select(Case).where(Case.tracking_token == token)).scalar_one()
        user = db.session.get(User, user_id)
        case.assignee_id = user.id
        transition_case(case, "register", actor=user)
        transition_case(case, "start_handling", actor=user)
        transition_case(
            case, "request_complement", actor=user, message="Skicka en skiss över altanen."
        )
        db.session.commit()
        db.session.remove()


def test_keyboard_only_citizen_from_catalogue_to_complement(
    page, live_server, live_app, seeded
) -> None:
    page.goto(f"{live_server}/e-tjanster")
    assert page.locator("h1").inner_text() == "E-tjänster"
    no_violations(page, "catalogue")

    tab_to(page, "a[href*='fraga-om-bygglov']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/e-tjanster/fraga-om-bygglov"))
    assert "Obligatoriska fält är märkta *" in page.content()
    assert page.get_by_text("Din e-postadress kommer inte publiceras.").is_visible()

    # Send it empty first: the error summary links to each field.
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.title().startswith("Fel:")
    summary = page.locator("#error-summary").inner_text()
    for label in ("Namn", "E-postadress", "Vad gäller det?", "Din fråga", "Jag har läst"):
        assert label in summary
    assert page.get_attribute("#f-namn", "aria-invalid") == "true"
    assert "f-namn-error" in page.get_attribute("#f-namn", "aria-describedby")
    no_violations(page, "form with errors")

    # The first link of the summary moves focus to its field.
    tab_to(page, "#error-summary a[href='#f-namn']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "f-namn"
    page.keyboard.type("Astrid Altan")
    tab_to(page, "#f-epost")
    page.keyboard.type("astrid.altan@example.se")
    tab_to(page, "#f-personnummer")
    page.keyboard.type("811218-9876")
    tab_to(page, "#f-kategori")
    page.keyboard.press("ArrowDown")  # "Altan"
    tab_to(page, "#f-beskrivning")
    page.keyboard.type("Behöver jag bygglov för en altan på 30 kvadratmeter?")
    tab_to(page, "#f-samtycke")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/kvittens/"))
    assert page.locator("h1").inner_text() == "Tack! Vi har tagit emot ditt ärende"
    facts = page.locator("dl.facts").inner_text()
    reference = re.search(r"BYGG \d{4}/\d{4}", facts).group(0)
    assert "Bygglovsenheten" in facts
    assert "10 arbetsdagar" in facts
    content = page.content()
    for secret in ("astrid.altan", "811218", "198112189876"):
        assert secret not in content
    no_violations(page, "receipt")

    token = page.url.rsplit("/", 1)[1].split("?")[0]
    ask_for_complement(live_app, token, seeded["user"])

    tab_to(page, "a.tracking-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/arende/"))
    assert reference in page.locator("h1").inner_text()
    assert "Väntar på komplettering från dig" in page.locator(".status").inner_text()
    assert page.get_by_text("Skicka en skiss över altanen.").is_visible()
    no_violations(page, "tracking")

    tab_to(page, "#f-meddelande")
    page.keyboard.type("Skissen kommer med posten, altanen är 30 kvm.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"skickat=1"))
    assert page.get_by_role("status").inner_text().startswith("Tack! Ditt meddelande")
    assert "Under handläggning" in page.locator(".status").inner_text()
    assert page.get_by_text("Skissen kommer med posten").is_visible()
    no_violations(page, "tracking after a complement")

    with live_app.app_context():
        case = db.session.execute(sa.select(Case).where(Case.tracking_token == token)).scalar_one()
        inbound = db.session.execute(
            sa.select(Message).where(
                Message.case_id == case.id, Message.direction == Direction.INBOUND
            )
        ).scalar_one()
        assert case.state == "under_handlaggning"
        assert inbound.body.startswith("Skissen kommer med posten")
        db.session.remove()


def test_english_pages_have_english_labels_and_no_violations(page, live_server, seeded) -> None:
    page.goto(f"{live_server}/e-tjanster?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "E-services"
    page.goto(f"{live_server}/e-tjanster/fraga-om-bygglov?lang=en")
    assert page.get_by_label("Your question").count() == 1
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert "This field is required." in page.locator("#error-summary").inner_text()
    no_violations(page, "English form with errors")


def test_the_form_works_without_javascript(browser, live_server, seeded) -> None:
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/e-tjanster/fraga-om-bygglov")
        page.fill("#f-namn", "Nils Nojs")
        page.fill("#f-epost", "nils@example.se")
        page.select_option("#f-kategori", "garage")
        page.fill("#f-beskrivning", "Får jag bygga ett garage utan bygglov?")
        page.check("#f-samtycke")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/kvittens/"))
        assert "Ärendenummer" in page.locator("dl.facts").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_field_type_with_errors_has_no_violations(page, live_server, seeded, lang) -> None:
    """Address with its map point, date, file, postcode, phone, select and consent, all
    showing errors at once."""
    page.goto(f"{live_server}/e-tjanster/alla-faltsorter?lang={lang}")
    page.fill("#f-telefon", "ring mig")
    page.fill("#f-personnummer", "811218-9875")
    page.fill("#f-postnummer", "1234")
    page.click("details summary")  # the optional map point is folded away
    page.fill("#f-plats-lat", "59.3")
    page.click("button[type=submit]")
    page.wait_for_selector("#error-summary")
    for field in ("namn", "epost", "telefon", "personnummer", "beskrivning", "plats", "samtycke"):
        assert page.locator(f"#error-summary a[href='#f-{field}']").count() == 1, field
    assert page.locator("#f-plats-lat").is_visible()  # the point given is shown again
    no_violations(page, f"every field type with errors ({lang})")
