"""The inbox: views and counts, filters, full-text search kept in sync, keyset pages, and a
query count that does not grow with the page size."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow.db import utcnow
from caseflow.enums import Channel, Role
from caseflow.extensions import db
from caseflow.messages.services import add_inbound_message, add_note
from tests.factories import make_case, make_eservice, make_unit, make_user
from tests.sql import recorded_statements


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def worker(unit):
    return make_user(Role.HANDLAGGARE, [unit])


@pytest.fixture
def many_cases(unit, worker):
    eservice = make_eservice(unit)
    start = utcnow() - timedelta(days=30)
    cases = []
    for i in range(60):
        case = make_case(
            unit,
            title=f"Ärende nummer {i}",
            eservice=eservice if i % 2 else None,
            channel=Channel.FACEBOOK if i % 3 == 0 else Channel.WEBFORM,
            opened_at=start + timedelta(hours=i),
        )
        if i % 4 == 0:
            case.assignee_id = worker.id
        if i % 5 == 0:
            case.priority = "high"
        cases.append(case)
    db.session.flush()
    return cases


def _refs(response) -> list[str]:
    return [item["reference"] for item in response.get_json()["items"]]


def test_page_size_does_not_change_the_number_of_queries(worker, many_cases, client_as) -> None:
    client = client_as(worker)
    client.get("/inbox?limit=5")  # warm up (the session, the user)
    with recorded_statements() as small:
        assert client.get("/inbox?limit=5").status_code == 200
    with recorded_statements() as large:
        assert client.get("/inbox?limit=60").status_code == 200
    assert len(small) == len(large)
    assert len(large) <= 8, large


def test_keyset_pages_cover_every_case_once_in_order(worker, many_cases, client_as) -> None:
    client = client_as(worker)
    seen: list[str] = []
    url = "/api/v1/cases?view=units&limit=7"
    while url:
        body = client.get(url).get_json()
        seen += [item["reference"] for item in body["items"]]
        url = (
            f"/api/v1/cases?view=units&limit=7&cursor={body['next_cursor']}"
            if body["next_cursor"]
            else None
        )
    newest_first = [
        c.reference for c in sorted(many_cases, key=lambda c: c.opened_at, reverse=True)
    ]
    assert seen == newest_first


@pytest.mark.parametrize("sort", ["oldest", "due", "activity"])
def test_every_sort_pages_without_gaps_or_repeats(worker, many_cases, client_as, sort) -> None:
    client = client_as(worker)
    seen: list[str] = []
    cursor = ""
    for _ in range(20):
        body = client.get(f"/api/v1/cases?sort={sort}&limit=9&cursor={cursor}").get_json()
        seen += [i["reference"] for i in body["items"]]
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
    assert sorted(seen) == sorted(c.reference for c in many_cases)
    assert len(seen) == len(set(seen))


def test_counts_per_view(worker, many_cases, client_as) -> None:
    counts = client_as(worker).get("/api/v1/cases").get_json()["counts"]
    assert counts["units"] == 60
    assert counts["mine"] == 15
    assert counts["queue"] == 45
    assert counts["overdue"] == sum(1 for c in many_cases if c.due_date < utcnow().date())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("view=mine", 15),
        ("view=queue", 45),
        ("channel=facebook", 20),
        ("priority=high", 12),
        ("assignee=none", 45),
        ("assignee=me&priority=high", 3),
        ("state=registrerad", 0),
        ("state=inkommen&channel=webform", 40),
    ],
)
def test_filters(worker, many_cases, client_as, query, expected) -> None:
    response = client_as(worker).get(f"/api/v1/cases?{query}&limit=100")
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == expected


def test_eservice_and_date_filters(worker, many_cases, client_as) -> None:
    slug = many_cases[1].eservice.slug
    client = client_as(worker)
    assert len(_refs(client.get(f"/api/v1/cases?eservice={slug}&limit=100"))) == 30
    day = many_cases[0].opened_at.date() + timedelta(days=1)
    refs = _refs(client.get(f"/api/v1/cases?opened_from={day}&opened_to={day}&limit=100"))
    assert 20 <= len(refs) <= 26


def test_bad_filters_are_422_with_the_field_named(worker, client_as) -> None:
    client = client_as(worker)
    response = client.get("/api/v1/cases?priority=asap&limit=0")
    assert response.status_code == 422
    assert {"priority", "limit"} <= set(response.get_json()["errors"])
    response = client.get("/api/v1/cases?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["errors"]
    html = client.get("/inbox?priority=asap")
    assert html.status_code == 422
    assert "priority" in html.get_data(as_text=True)


def test_search_finds_words_of_messages_and_follows_new_ones(unit, worker, client_as) -> None:
    case = make_case(unit, title="Fråga om bygglov")
    add_inbound_message(case, "Jag undrar över altanen mot sjön", channel="webform")
    other = make_case(unit, title="Snöröjning")
    client = client_as(worker)
    assert _refs(client.get("/api/v1/cases?q=altanen")) == [case.reference]
    assert _refs(client.get("/api/v1/cases?q=bygglov")) == [case.reference]
    assert _refs(client.get("/api/v1/cases?q=plogbilen")) == []
    add_note(other, "Plogbilen har inte kommit", actor=worker)
    db.session.flush()
    assert _refs(client.get("/api/v1/cases?q=plogbilen")) == [other.reference]


def test_search_by_reference(unit, worker, client_as) -> None:
    case = make_case(unit, title="Något")
    make_case(unit, title="Annat")
    client = client_as(worker)
    assert _refs(client.get(f"/api/v1/cases?q={case.reference}")) == [case.reference]
    assert _refs(client.get(f"/api/v1/cases?q={case.reference_key}")) == [case.reference]


def test_a_reference_given_last_is_found_by_search(unit, worker, client_as) -> None:
    """Web-form cases take their diarienummer after the last flush; search finds them by it
    (whole, as a key, or as year and serial) and their document holds only their text."""
    from caseflow.cases.references import PENDING_PREFIX, assign_reference
    from caseflow.cases.services import open_case
    from caseflow.web.models import CaseSearch

    case = open_case(unit=unit, title="Trasig lykta", channel="webform", reference_later=True)
    reference = assign_reference(case)
    make_case(unit, title="Annan lykta")
    db.session.commit()
    db.session.expire_all()
    document = db.session.get(CaseSearch, case.id).document
    assert "Trasig lykta" in document
    assert reference not in document and PENDING_PREFIX not in document
    client = client_as(worker)
    for query in (reference, case.reference_key, f"{case.serial_year}/{case.serial}"):
        assert _refs(client.get("/api/v1/cases", query_string={"q": query})) == [reference]
    assert _refs(client.get("/api/v1/cases", query_string={"q": f"{case.serial_year}/999"})) == []


def test_title_changes_are_searchable(unit, worker, client_as) -> None:
    case = make_case(unit, title="Gammal rubrik")
    db.session.flush()
    case.title = "Översvämning i källaren"
    db.session.flush()
    assert _refs(client_as(worker).get("/api/v1/cases?q=källaren")) == [case.reference]


def test_search_rows_follow_the_case_unit_and_open_state(unit, worker, client_as) -> None:
    """The search row copies ``unit_id`` and ``open`` for the partial index: it must follow
    closing, reopening and moving the case, or a caseworker's search would miss it."""
    from caseflow.web.models import CaseSearch

    case = make_case(unit, title="Vattenläcka vid skolan")
    db.session.flush()
    client = client_as(worker)

    def row() -> CaseSearch:
        db.session.expire_all()
        return db.session.get(CaseSearch, case.id)

    assert (row().unit_id, row().open) == (unit.id, True)
    case.closed_at, case.state = utcnow(), "avslutad"
    db.session.flush()
    assert row().open is False
    assert _refs(client.get("/api/v1/cases?q=vattenläcka")) == []
    assert _refs(client.get("/api/v1/cases?q=vattenläcka&state=avslutad")) == [case.reference]
    case = db.session.get(type(case), case.id)
    case.closed_at, case.state = None, "registrerad"
    db.session.flush()
    assert row().open is True
    assert _refs(client.get("/api/v1/cases?q=vattenläcka")) == [case.reference]
    other_unit = make_unit()
    colleague = make_user(Role.HANDLAGGARE, [other_unit])
    case = db.session.get(type(case), case.id)
    case.unit_id = other_unit.id
    db.session.flush()
    assert row().unit_id == other_unit.id
    assert _refs(client.get("/api/v1/cases?q=vattenläcka")) == []
    assert _refs(client_as(colleague).get("/api/v1/cases?q=vattenläcka")) == [case.reference]


def test_htmx_requests_get_only_the_results_fragment(worker, many_cases, client_as) -> None:
    client = client_as(worker)
    full = client.get("/inbox").get_data(as_text=True)
    fragment = client.get("/inbox", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and 'id="results"' in full
    assert "<html" not in fragment
    assert many_cases[-1].reference in fragment


def test_inbox_works_without_javascript_links_to_the_next_page(worker, many_cases, client_as):
    body = client_as(worker).get("/inbox?limit=10").get_data(as_text=True)
    assert 'href="/inbox?cursor=' in body
    assert body.count('name="cases"') == 10


def test_overdue_view_lists_running_cases_past_their_due_date(unit, worker, client_as) -> None:
    late = make_case(unit, title="Sen", opened_at=utcnow() - timedelta(days=60))
    make_case(unit, title="I tid")
    assert _refs(client_as(worker).get("/api/v1/cases?view=overdue")) == [late.reference]


def test_swedish_by_default_english_on_request(worker, client_as) -> None:
    client = client_as(worker)
    assert "Mina ärenden" in client.get("/inbox").get_data(as_text=True)
    english = client.get("/inbox?lang=en").get_data(as_text=True)
    assert "My cases" in english and "Unit queue (unassigned)" in english
    accept = client.get("/inbox", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "All my units" in accept.get_data(as_text=True)
