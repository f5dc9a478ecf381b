"""The inbox page keeps rendered rows and fragments per process (``rendering.rows_html``,
``{% cache %}``): a page must still show exactly what is true now, for the user asking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.web import rendering
from caseflow.web.inbox import inbox_page
from tests.factories import make_case, make_unit, make_user


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def worker(unit):
    return make_user(Role.HANDLAGGARE, [unit], name="Ada Andersson")


@pytest.fixture(autouse=True)
def _no_count_cache(app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 0)


def _page(client, url: str = "/inbox?view=units") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_changed_case_shows_its_new_row_at_once(unit, worker, client_as) -> None:
    case = make_case(unit, title="Trasig gatlykta")
    client = client_as(worker)
    assert "Trasig gatlykta" in _page(client)
    db.session.get(Case, case.id).title = "Lagad gatlykta"
    db.session.flush()
    page = _page(client)
    assert "Lagad gatlykta" in page and "Trasig gatlykta" not in page


def test_the_rows_see_an_unflushed_change_of_the_same_session(unit, worker) -> None:
    """The rows are read on the connection, past the ORM's autoflush: the page flushes."""
    case = make_case(unit, title="Före")
    db.session.get(Case, case.id).title = "Efter"  # from the identity map: no query, no flush
    page = inbox_page(worker, {"view": "units", "sort": "newest", "limit": 25})
    assert [row.title for row in page.cases] == ["Efter"]


def test_a_row_turns_overdue_when_the_day_passes(unit, worker, client_as, monkeypatch) -> None:
    today = utcnow()
    case = make_case(unit, title="Snart sen")
    db.session.get(Case, case.id).due_date = (today + timedelta(days=1)).date()
    db.session.flush()
    client = client_as(worker)
    assert "overdue" not in _page(client).split("<tbody>")[1]
    monkeypatch.setattr(rendering, "utcnow", lambda: today + timedelta(days=3))
    assert '<tr class="overdue">' in _page(client)


def test_view_tabs_show_the_current_counts(unit, worker, client_as) -> None:
    client = client_as(worker)
    make_case(unit)
    assert '<span class="count" id="count-units">1</span>' in _page(client)
    make_case(unit)
    assert '<span class="count" id="count-units">2</span>' in _page(client)


def test_the_menu_names_the_signed_in_user_not_the_last_one(unit, worker, client_as) -> None:
    other = make_user(Role.HANDLAGGARE, [unit], name="Bo Bengtsson")
    make_case(unit)
    assert "Ada Andersson" in _page(client_as(worker))
    page = _page(client_as(other))
    assert "Bo Bengtsson" in page and "Ada Andersson" not in page


def test_the_menu_and_labels_follow_the_language(unit, worker, client_as) -> None:
    make_case(unit)
    client = client_as(worker)
    assert "Mina ärenden" in _page(client, "/inbox?view=units&lang=sv")
    english = _page(client, "/inbox?view=units&lang=en")
    assert "Mina ärenden" not in english and "My cases" in english
