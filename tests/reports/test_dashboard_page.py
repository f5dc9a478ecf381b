"""The dashboard: goal cards with figures in words, charts with tables, nothing from a CDN."""

from __future__ import annotations

import base64
import re

from caseflow.extensions import db
from caseflow.reports.demo import seed_goal_demo


def test_dashboard_shows_goal_cards_and_accessible_charts(staff, client_as) -> None:
    import random

    from caseflow.db import utcnow
    from tests.factories import make_eservice

    seed_goal_demo(utcnow(), random.Random(1), [make_eservice(staff.unit)])
    db.session.flush()
    html = client_as(staff.enhetschef).get("/rapporter").get_data(as_text=True)
    assert html.count('class="goal-card') == 3
    assert "Antalet e-tjänster ska öka med 20 %" in html
    assert html.count("<figure") == 3 and html.count("<table") == 3
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    assert len(images) == 3 and all(alt for _svg, alt in images)
    for svg, _alt in images:
        decoded = base64.b64decode(svg).decode()
        assert decoded.startswith("<svg") and "<script src" not in decoded
    assert not re.search(r'<script[^>]+src="https?://', html)
    assert not re.search(r'<link[^>]+href="https?://', html)
    assert "Status" in html and "<progress" in html


def test_the_caseworker_menu_links_reports_for_unit_leads_and_admins_only(staff, client_as) -> None:
    link = '<a href="/rapporter">Rapporter</a>'
    for user, shown in (
        (staff.enhetschef, True),
        (staff.admin, True),
        (staff.handlaggare, False),
        (staff.registrator, False),
    ):
        response = client_as(user).get("/account/tokens")
        assert response.status_code == 200
        assert (link in response.get_data(as_text=True)) is shown, user.role
