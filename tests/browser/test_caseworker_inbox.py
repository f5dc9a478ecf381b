"""A caseworker's day in headless Chromium: sign in, unit queue, take a case, fire a
transition, reply and see the delivery status, search a message word, bulk-assign; axe-core
finds no WCAG 2.1 A/AA violations on the inbox, the case page and the admin pages."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import unquote_plus

import pytest
from flask import Flask
from playwright.sync_api import expect

from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.messages.services import add_inbound_message, register_sender
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, make_case, make_citizen, make_unit, make_user

DELIVERED: list[int] = []


def record_delivery(message: Message) -> str:
    """The e-mail channel's sender in these tests: accepts every message."""
    DELIVERED.append(message.id)
    return f"mail-{message.id}"


@dataclass
class Staff:
    worker_email: str
    admin_email: str
    prefix: str
    references: list[str]
    word: str


@pytest.fixture
def staff(live_app: Flask) -> Staff:
    """A unit with a caseworker, an admin and a few cases, committed for the live server."""
    register_sender(live_app, "email", record_delivery)
    tag = uuid.uuid4().hex[:6]
    word = f"bänkbrevlåda{tag}"
    with live_app.app_context():
        unit = make_unit(f"B{tag[:4].upper().translate(str.maketrans('0123456789', 'GHIJKLMNOP'))}")
        worker = make_user(
            Role.HANDLAGGARE, [unit], name="Anna Andersson", email=f"anna.{tag}@kommun.example"
        )
        admin = make_user(Role.ADMIN, [unit], name="Ada Admin", email=f"ada.{tag}@kommun.example")
        cases = [
            make_case(
                unit, title="Trasig gatlykta vid skolan", channel="email", citizen=make_citizen()
            ),
            make_case(unit, title="Nedskräpning i parken", channel="email"),
            make_case(unit, title="Fråga om snöröjning", channel="webform"),
        ]
        add_inbound_message(cases[1], f"Det ligger skräp vid {word} varje morgon", channel="email")
        references = [c.reference for c in cases]
        db.session.commit()
        staff = Staff(worker.email, admin.email, unit.prefix, references, word)
        db.session.remove()
    return staff


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r".*/inbox.*"))


def test_caseworker_handles_a_case_end_to_end(live_server, page, staff) -> None:
    sign_in(page, live_server, staff.worker_email)
    page.get_by_role("link", name=re.compile("^Enhetens kö")).first.click()
    page.wait_for_url(re.compile(r".*view=queue.*"))
    first = staff.references[0]
    expect(page.get_by_role("link", name=first)).to_be_visible()
    assert not axe_violations(page), axe_violations(page)
    screenshot(page, "inbox")

    page.get_by_role("link", name=first).click()
    page.wait_for_url(re.compile(r".*/cases/.*"))
    page.get_by_label("Ansvarig").select_option("me")
    page.locator("form[action$='/assign'] button").click()
    # Expectations retry until the page after the POST/redirect has replaced the old one.
    expect(page.locator("#case-assignee")).to_have_text("Anna Andersson")

    page.locator("form.transition:has(input[value='register']) button").click()
    expect(page.locator("#case-state")).to_have_text("Registrerad")

    page.get_by_label(re.compile("^Svar")).fill("Tack, vi byter lampan i veckan.")
    page.get_by_role("button", name="Skicka svar").click()
    entry = page.locator("li.entry.outbound").last
    expect(entry).to_contain_text("Tack, vi byter lampan i veckan.")
    expect(entry).to_contain_text("leverans: sent")
    assert not axe_violations(page), axe_violations(page)
    screenshot(page, "case")


def test_search_finds_a_word_from_a_message(live_server, page, staff) -> None:
    sign_in(page, live_server, staff.worker_email)
    page.get_by_label("Sök").fill(staff.word)
    # Wait for the search's own answer (HTMX or a full page): the unfiltered list may already
    # hold a single row, so a row count alone could be read before the results arrive.
    with page.expect_response(lambda response: f"q={staff.word}" in unquote_plus(response.url)):
        page.get_by_role("button", name="Filtrera").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(staff.references[1])


def test_bulk_assignment_from_the_inbox(live_server, page, staff) -> None:
    sign_in(page, live_server, staff.worker_email)
    page.goto(f"{live_server}/inbox?view=queue&unit={staff.prefix}")
    for reference in staff.references[1:]:
        page.get_by_label(f"Välj {reference}").check()
    page.get_by_label("Åtgärd", exact=True).select_option("assign")
    page.get_by_label("Tilldela till").select_option("me")
    page.get_by_role("button", name="Utför").click()
    expect(page.locator(".flash-success")).to_contain_text("Klart för 2 ärenden")
    page.goto(f"{live_server}/inbox?view=mine&unit={staff.prefix}")
    text = page.locator("#results").inner_text()
    assert all(reference in text for reference in staff.references[1:])


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/users",
        "/admin/units",
        "/admin/eservices",
        "/admin/workflows",
        "/admin/routing-rules",
        "/social",
        "/account/tokens",
        "/login",
    ],
)
def test_admin_pages_have_no_wcag_violations(live_server, page, staff, path) -> None:
    if path != "/login":
        sign_in(page, live_server, staff.admin_email)
    page.goto(f"{live_server}{path}")
    assert page.locator("h1").count() == 1
    assert not axe_violations(page), axe_violations(page)


def test_social_inbox_registers_an_item_as_a_case(live_app, live_server, page, staff) -> None:
    from caseflow.db import utcnow
    from caseflow.social.inbound import InboundPost
    from caseflow.social.services import ingest_posts

    external = f"fb-{uuid.uuid4().hex[:10]}"
    text = f"Gungan i lekparken är trasig {external}"
    with live_app.app_context():
        ingest_posts(
            [
                InboundPost(
                    channel="facebook",
                    external_id=external,
                    kind="comment",
                    thread_key=f"post-{external}",
                    text=text,
                    posted_at=utcnow(),
                    author_name="Kim",
                )
            ]
        )
        db.session.commit()
        db.session.remove()
    sign_in(page, live_server, staff.admin_email)
    page.get_by_role("link", name=re.compile("^Sociala medier")).first.click()
    item = page.locator("li.social-item", has_text=external)
    item.get_by_text("Registrera som ärende").click()
    item.get_by_label("Enhet").select_option(staff.prefix)
    item.get_by_label("Rubrik").fill("Trasig gunga")
    item.get_by_role("button", name="Registrera").click()
    expect(page.locator(".flash-success")).to_contain_text(
        f"Registrerat som ärende {staff.prefix} "
    )
    flash = page.locator(".flash-success").inner_text()
    assert not axe_violations(page), axe_violations(page)
    reference = flash.split("ärende ")[1].rstrip(".")
    page.goto(f"{live_server}/inbox?view=all&q={external}")
    assert reference in page.locator("#results").inner_text()
