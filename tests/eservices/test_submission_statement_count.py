"""A JSON submission's SQL: pinned statement count, so a change that adds round trips to the
hot path fails here (issue 4's benchmark), and the rows the Core path writes are complete."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case
from caseflow.citizens.models import Citizen
from caseflow.eservices.models import SubmissionKey
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem
from tests.eservices.test_json_submissions import URL, body

#: Per dialect: claim the key and find the citizen, the case with everything linked to it
#: (its search document too), the diarienummer (then ``COMMIT``). On PostgreSQL the database
#: gives the diarienummer inside ``COMMIT``; here the request's commit only releases the test's
#: savepoint, so it is fired first (``SET CONSTRAINTS``; the real commit's statements are
#: pinned in ``test_numbering_at_commit``). SQLite has no data-modifying ``WITH``: it sends
#: each of them (and the search document's FTS5 mirror) on its own.
EXPECTED = {
    "postgresql": [
        "WITH claim",
        "WITH new_case",
        "SET CONSTRAINTS",
        "SET CONSTRAINTS",
    ],
    "sqlite": [
        "INSERT INTO submission_keys",
        "SELECT citizens",
        "INSERT INTO cases",
        "INSERT INTO case_events",
        "UPDATE submission_keys",
        "INSERT INTO usage_events",
        "INSERT INTO intake_items",
        "INSERT INTO outbox_mails",
        "INSERT INTO case_sequences",
        "UPDATE cases",
        "DELETE FROM case_search",
        "INSERT INTO case_search",
        "DELETE FROM search.case_fts",
        "INSERT INTO search.case_fts",
    ],
}


def _label(statement: str) -> str:
    words = statement.split()
    verb = words[0].upper()
    if verb == "SELECT":
        table = next((words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() == "FROM"), "")
        return f"SELECT {table.split('.')[0]}"
    if verb in ("INSERT", "DELETE"):
        return " ".join(words[:3])
    if verb == "UPDATE":
        return " ".join(words[:2])
    return " ".join(words[:2])


@contextmanager
def statements() -> Iterator[list[str]]:
    """Statements sent to the database; the fixture's savepoint release is the commit."""
    seen: list[str] = []
    engine = db.session.get_bind().engine

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        if statement.lstrip().upper().startswith("RELEASE"):
            seen.append("COMMIT")  # the request's commit in the test's outer transaction
        elif not statement.lstrip().upper().startswith(("SAVEPOINT", "ROLLBACK")):
            seen.append(_label(statement))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_a_json_submission_takes_a_pinned_number_of_statements(client, eservice, app) -> None:
    dialect = db.session.get_bind().dialect.name
    # A returning citizen, as in the benchmark (a new one adds an ``INSERT``).
    assert client.post(URL, json=body(beskrivning="Första lyktan är släckt.")).status_code == 201
    # The e-service lookup is cached per process (its ``SELECT`` is not per submission);
    # tests turn the cache off, so its statement is left out here.
    with statements() as seen:
        response = client.post(URL, json=body(beskrivning="Andra lyktan är släckt."))
    assert response.status_code == 201
    # Up to the request's commit: the receipt mail's job runs inline after it in tests.
    before_commit = seen[: seen.index("COMMIT")]
    assert [s for s in before_commit if s != "SELECT eservices"] == EXPECTED[dialect]


def test_the_core_path_writes_every_row_of_a_submission(client, eservice) -> None:
    answer = client.post(URL, json=body()).get_json()
    db.session.expire_all()
    case = db.session.execute(sa.select(Case).where(Case.eservice_id == eservice.id)).scalar_one()
    assert (case.reference, case.unit_id, case.channel) == (
        answer["reference"],
        eservice.unit_id,
        "api",
    )
    assert case.citizen_id is not None and case.assignee_id is None and case.closed_at is None
    [event] = db.session.execute(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)).scalars()
    assert (event.action, event.from_state, event.to_state, event.actor_label) == (
        "opened",
        None,
        case.state,
        "api",
    )
    assert event.data == {"channel": "api", "workflow": f"{case.workflow_key}@1"}
    key = db.session.execute(sa.select(SubmissionKey)).scalar_one()
    assert key.case_id == case.id and key.response["tracking_url"] == answer["tracking_url"]
    item = db.session.execute(sa.select(IntakeItem)).scalar_one()
    assert (item.case_id, item.status, item.channel, item.kind) == (
        case.id,
        "processed",
        "api",
        "submission",
    )
    assert item.received_at == item.processed_at == case.opened_at
    assert item.data["citizen_id"] == case.citizen_id
    usage = db.session.execute(
        sa.select(UsageEvent).where(UsageEvent.kind == "form_submitted")
    ).scalar_one()
    assert (usage.eservice_id, usage.unit_id, usage.channel, usage.occurred_at) == (
        eservice.id,
        eservice.unit_id,
        "api",
        case.opened_at,
    )
    mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
    assert (mail.case_id, mail.to_address, mail.created_at) == (
        case.id,
        "greta.gatlykta@example.se",
        case.opened_at,
    )


def test_contact_data_on_file_is_completed_never_overwritten(client, eservice) -> None:
    citizen = Citizen(name=None, email="annan@example.se", personnummer="198112189876")
    db.session.add(citizen)
    db.session.flush()
    assert client.post(URL, json=body()).status_code == 201
    db.session.expire_all()
    citizen = db.session.get(Citizen, citizen.id)
    assert (citizen.name, citizen.email, citizen.phone) == (
        "Greta Gatlykta",
        "annan@example.se",
        "+46709876543",
    )
    assert db.session.execute(sa.select(sa.func.count()).select_from(Citizen)).scalar_one() == 1
