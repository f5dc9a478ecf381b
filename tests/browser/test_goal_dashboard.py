"""A unit lead opens the goals dashboard in headless Chromium: goal cards, charts with their
tables reachable by keyboard, and no WCAG 2.1 A/AA violations there or on the open-data page."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import expect

from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.usage.models import UsageEvent
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, make_goal, make_unit, make_user


@pytest.fixture
def lead_email(live_app: Flask) -> str:
    tag = uuid.uuid4().hex[:6]
    with live_app.app_context():
        unit = make_unit(f"R{tag[:4].upper().translate(str.maketrans('0123456789', 'GHIJKLMNOP'))}")
        lead = make_user(Role.ENHETSCHEF, [unit], email=f"chef.{tag}@kommun.example")
        year = date.today().year
        make_goal(
            "digital_dialogue",
            year=year,
            slug=f"dialog-{tag}",
            title_sv=f"Mer digital dialog {tag}",
            title_en=f"More digital dialogue {tag}",
        )
        for back in range(1, 40):
            db.session.add(
                UsageEvent(
                    kind="social_inbound",
                    channel="facebook",
                    occurred_at=utcnow() - timedelta(days=back),
                )
            )
        db.session.commit()
        email = lead.email
        db.session.remove()
    return email


def test_unit_lead_reads_the_goals_dashboard(live_server, page, lead_email: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(lead_email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r".*/inbox.*"))
    page.goto(f"{live_server}/rapporter")
    # Auto-retrying expectations: under load the page may still be settling after goto.
    expect(page.get_by_role("heading", name="Mål och uppföljning")).to_be_visible()
    card = page.locator("article.goal-card").filter(has_text="Mer digital dialog")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Status")
    expect(page.locator("figure.chart img")).to_have_count(3)
    summary = page.get_by_text("Visa diagrammets uppgifter som tabell").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("figure.chart table").first).to_be_visible()
    assert not axe_violations(page), axe_violations(page)
    screenshot(page, "goal-dashboard")


def test_open_data_page_has_no_accessibility_violations(live_server, page) -> None:
    page.goto(f"{live_server}/oppna-data")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not axe_violations(page), axe_violations(page)
