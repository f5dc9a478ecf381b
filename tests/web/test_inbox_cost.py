"""What an inbox page costs (statements per request), the short-lived counts cache, search
results in page order when the newest candidates are walked first, and search documents
rebuilt once per transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from caseflow.auth.tokens import create_token
from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.messages.services import add_inbound_message
from caseflow.web import inbox, page_cache
from tests.factories import make_case, make_unit, make_user
from tests.sql import recorded_statements


def _selects(seen: list[str]) -> list[str]:
    return [s for s in seen if s.upper().startswith("SELECT")]


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def worker(unit):
    return make_user(Role.HANDLAGGARE, [unit])


@pytest.fixture
def cases(unit, worker):
    start = utcnow() - timedelta(days=3)
    made = [
        make_case(unit, title=f"Ärende {i}", opened_at=start + timedelta(hours=i))
        for i in range(30)
    ]
    for case in made[::3]:
        case.assignee_id = worker.id
    db.session.flush()
    return made


def _refs(response) -> list[str]:
    return [item["reference"] for item in response.get_json()["items"]]


def test_inbox_first_page_takes_five_statements_cold_and_two_warm(
    app, worker, cases, client_as, monkeypatch
) -> None:
    """Cold: user with units, rows with assignee names, counts, e-services, social count. Warm
    (counts and e-services cached): user with units, rows. Nothing written."""
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 60)
    page_cache.clear()
    client = client_as(worker)
    with recorded_statements() as cold:
        assert client.get("/inbox?view=units").status_code == 200
    with recorded_statements() as warm:
        assert client.get("/inbox?view=units").status_code == 200
    assert len(_selects(cold)) == 5, cold
    assert len(_selects(warm)) == 2, warm
    assert not [s for s in cold + warm if s.upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_token_request_loads_token_user_and_units_in_one_statement(
    app, worker, cases, client, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 60)
    _token, secret = create_token(worker, "test")
    db.session.flush()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/inbox?view=units", headers=headers).status_code == 200
    g.pop("_login_user", None)  # tests share one app context: drop Flask-Login's request cache
    with recorded_statements() as warm:
        assert client.get("/inbox?view=units", headers=headers).status_code == 200
    assert len(_selects(warm)) == 2, warm
    assert "api_tokens" in _selects(warm)[0] and "units" in _selects(warm)[0]


def test_counts_follow_a_write_in_this_process_at_once(
    app, unit, worker, cases, client_as, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 60)
    client = client_as(worker)
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 10
    case = db.session.get(Case, cases[1].id)
    case.assignee_id = worker.id
    db.session.flush()
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 11


def test_counts_are_served_from_the_cache_for_its_lifetime_only(
    app, worker, cases, client_as, monkeypatch
) -> None:
    """A change the session does not see (another process) shows once the entry expires."""
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 60)
    client = client_as(worker)
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 10
    # Written behind the session's back, as another process would: no flush, no ORM execute.
    db.session.connection().execute(
        sa.update(Case).where(Case.id == cases[1].id).values(assignee_id=worker.id)
    )
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 10
    clock = page_cache.time.monotonic() + 61
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock)
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 11


def test_a_zero_lifetime_turns_the_cache_off(app, worker, cases, client_as, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "INBOX_CACHE_SECONDS", 0)
    client = client_as(worker)
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 10
    db.session.connection().execute(
        sa.update(Case).where(Case.id == cases[1].id).values(assignee_id=worker.id)
    )
    assert client.get("/api/v1/cases").get_json()["counts"]["mine"] == 11


@pytest.mark.parametrize("walk", [3, 400])
@pytest.mark.parametrize(
    ("word", "every"),
    [("lampa", 1), ("gunga", 2), ("bänk", 7), ("tunnel", 31)],
)
def test_search_returns_the_newest_matches_first_on_every_page(
    unit, worker, client_as, monkeypatch, walk, word, every
) -> None:
    """Whether the walk over the newest candidates finds a page (frequent words, or a short
    walk) or the full match answers (rare words), pages hold the matches newest first,
    each once, and nothing else."""
    monkeypatch.setattr(inbox, "SEARCH_WALK", walk)
    start = utcnow() - timedelta(days=10)
    expected = []
    for i in range(30):
        matching = i % every == 0
        case = make_case(
            unit,
            title=f"Trasig {word if matching else 'stolpe'} {i}",
            opened_at=start + timedelta(hours=i),
        )
        if matching:
            expected.append(case.reference)
    make_case(make_unit(), title=f"Annan enhets {word}", opened_at=start + timedelta(days=5))
    db.session.flush()
    expected.reverse()
    client = client_as(worker)
    seen: list[str] = []
    url = f"/api/v1/cases?q={word}&limit=4"
    for _ in range(20):
        body = client.get(url).get_json()
        seen += [item["reference"] for item in body["items"]]
        if not body.get("next_cursor"):
            break
        url = f"/api/v1/cases?q={word}&limit=4&cursor={body['next_cursor']}"
    assert seen == expected


def test_a_rare_word_skips_the_walk_once_it_fell_short(unit, worker, client_as) -> None:
    """The walk over the newest candidates is a wasted statement for a rare word: after it
    fell short once, the same search goes straight to the full match, with the same answer."""
    start = utcnow() - timedelta(days=10)
    rare = make_case(unit, title="Sällsynt ordet fjärrvärmeläcka", opened_at=start)
    for i in range(inbox.SEARCH_WALK + 5):
        make_case(unit, title=f"Vanlig {i}", opened_at=start + timedelta(minutes=i + 1))
    db.session.flush()
    client = client_as(worker)
    with recorded_statements() as first:
        assert _refs(client.get("/api/v1/cases?q=fjärrvärmeläcka")) == [rare.reference]
    with recorded_statements() as again:
        assert _refs(client.get("/api/v1/cases?q=fjärrvärmeläcka")) == [rare.reference]
    rows = [s for s in _selects(first) if "cases.title" in s]
    assert len(rows) == 2  # the walk, then the full match
    assert len([s for s in _selects(again) if "cases.title" in s]) == 1


def test_search_documents_are_rebuilt_once_per_transaction(unit) -> None:
    with recorded_statements() as seen:
        case = make_case(unit, title="Trasig lykta")
        db.session.flush()
        add_inbound_message(case, "Den blinkar", channel="webform")
        db.session.flush()
        add_inbound_message(case, "Nu är den släckt", channel="webform")
        db.session.flush()
        assert not [s for s in seen if "INTO case_search" in s]
        db.session.commit()
    assert len([s for s in seen if "INTO case_search" in s]) == 1


def test_a_search_in_the_same_transaction_sees_unflushed_text(unit, worker, client_as) -> None:
    case = make_case(unit, title="Vanlig rubrik")
    db.session.flush()
    add_inbound_message(case, "Översvämning i tvättstugan", channel="webform")
    assert _refs(client_as(worker).get("/api/v1/cases?q=tvättstugan")) == [case.reference]
