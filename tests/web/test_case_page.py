"""The case page and its actions: header, timeline, transitions with guard explanations,
replies through the case's channel, notes, assignment rules, priority, duplicates,
attachments, contact masking with audited reveals, bulk actions."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.db import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.messages.services import register_sender
from tests.factories import make_case, make_citizen, make_unit, make_user


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def worker(unit):
    return make_user(Role.HANDLAGGARE, [unit], name="Anna Andersson")


@pytest.fixture
def lead(unit):
    return make_user(Role.ENHETSCHEF, [unit], name="Lena Chef")


@pytest.fixture
def case(unit):
    return make_case(unit, title="Trasig lykta", citizen=make_citizen(email="per@example.se"))


def _page(client, case) -> str:
    response = client.get(f"/cases/{case.reference_key}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _events(case, action: str) -> list[CaseEvent]:
    return list(
        db.session.execute(
            sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)
        ).scalars()
    )


def test_header_shows_working_days_left_and_the_citizen(worker, case, client_as) -> None:
    body = _page(client_as(worker), case)
    assert case.reference in body
    assert "10 arbetsdagar kvar" in body
    assert "per@example.se" in body
    assert "Inkommen" in body


def test_overdue_case_says_how_late_it_is(unit, worker, client_as) -> None:
    late = make_case(unit, title="Sen", opened_at=utcnow() - timedelta(days=40))
    assert "arbetsdagar försenat" in _page(client_as(worker), late)


def test_transitions_list_only_what_the_role_may_fire_with_guards_explained(
    worker, case, client_as
) -> None:
    client = client_as(worker)
    body = _page(client, case)
    assert 'value="register"' in body
    assert 'value="decide"' not in body  # not from this state
    response = client.post(
        f"/cases/{case.reference_key}/transition", data={"transition": "register"}
    )
    assert response.status_code == 302
    assert case.state == "registrerad"
    body = _page(client, case)
    assert "Kräver en ansvarig handläggare" in body  # start_handling needs an assignee


def test_a_blocked_guard_is_422_and_changes_nothing(worker, case, client_as) -> None:
    client = client_as(worker)
    client.post(f"/cases/{case.reference_key}/transition", data={"transition": "register"})
    response = client.post(
        f"/cases/{case.reference_key}/transition", data={"transition": "start_handling"}
    )
    assert response.status_code == 422
    assert "ansvarig handläggare" in response.get_data(as_text=True)
    assert case.state == "registrerad"


SENT: list[int] = []


def recording_sender(message: Message) -> str:
    """A channel sender for the test: records what it was asked to send."""
    SENT.append(message.id)
    return f"ext-{message.id}"


def test_reply_goes_out_through_the_case_channel_and_shows_its_status(
    app, worker, case, client_as, monkeypatch
) -> None:
    SENT.clear()
    monkeypatch.setitem(app.extensions, "caseflow_senders", {})
    register_sender(app, "webform", recording_sender)
    client = client_as(worker)
    response = client.post(f"/cases/{case.reference_key}/reply", data={"body": "Vi lagar lyktan."})
    assert response.status_code == 302
    message = db.session.execute(
        sa.select(Message).where(Message.case_id == case.id, Message.direction == "outbound")
    ).scalar_one()
    assert message.channel == "webform"
    assert [message.id] == SENT
    db.session.refresh(message)
    assert message.delivery_status == "sent"
    body = _page(client, case)
    assert "Vi lagar lyktan." in body
    assert "leverans: sent" in body


def test_empty_reply_is_422_with_a_swedish_message(worker, case, client_as) -> None:
    response = client_as(worker).post(f"/cases/{case.reference_key}/reply", data={"body": " "})
    assert response.status_code == 422
    assert "Skriv ett meddelande." in response.get_data(as_text=True)


def test_note_is_internal(worker, case, client_as) -> None:
    client = client_as(worker)
    client.post(f"/cases/{case.reference_key}/note", data={"body": "Ring tekniska"})
    note = db.session.execute(sa.select(Message).where(Message.case_id == case.id)).scalar_one()
    assert note.direction == "internal" and note.public is False
    assert "Intern anteckning" in _page(client, case)


def test_caseworker_may_take_a_case_but_not_assign_others(worker, lead, case, client_as) -> None:
    client = client_as(worker)
    forbidden = client.post(f"/cases/{case.reference_key}/assign", data={"assignee_id": lead.id})
    assert forbidden.status_code == 403
    assert case.assignee_id is None
    assert (
        client.post(f"/cases/{case.reference_key}/assign", data={"assignee_id": "me"}).status_code
        == 302
    )
    assert case.assignee_id == worker.id
    assert [e.data["to"] for e in _events(case, "assigned")] == [worker.id]


def test_unit_lead_assigns_within_the_unit_only(unit, worker, lead, case, client_as) -> None:
    outsider = make_user(Role.HANDLAGGARE, [make_unit()])
    client = client_as(lead)
    response = client.post(f"/cases/{case.reference_key}/assign", data={"assignee_id": outsider.id})
    assert response.status_code == 422
    assert (
        client.post(
            f"/cases/{case.reference_key}/assign", data={"assignee_id": worker.id}
        ).status_code
        == 302
    )
    assert case.assignee_id == worker.id
    assert "Anna Andersson" in _page(client, case)


def test_priority_change_is_validated_and_audited(worker, case, client_as) -> None:
    client = client_as(worker)
    assert (
        client.post(f"/cases/{case.reference_key}/priority", data={"priority": "x"}).status_code
        == 422
    )
    assert (
        client.post(
            f"/cases/{case.reference_key}/priority", data={"priority": "urgent"}
        ).status_code
        == 302
    )
    assert case.priority == "urgent"
    assert _events(case, "priority_changed")[0].data == {"from": "normal", "to": "urgent"}


def test_duplicate_is_closed_linked_and_its_citizen_told(unit, worker, case, client_as) -> None:
    main = make_case(unit, title="Samma lykta")
    client = client_as(worker)
    response = client.post(
        f"/cases/{case.reference_key}/duplicate", data={"main_reference": main.reference}
    )
    assert response.status_code == 302
    assert case.duplicate_of_id == main.id
    assert case.closed_at is not None
    assert main.citizen_id == case.citizen_id
    told = db.session.execute(
        sa.select(Message.body).where(Message.case_id == case.id, Message.direction == "outbound")
    ).scalar_one()
    assert main.reference in told
    assert _events(main, "duplicate_linked")[0].data["duplicate"] == case.reference


def test_duplicate_of_an_invisible_case_is_a_field_error(unit, worker, case, client_as) -> None:
    hidden = make_case(make_unit(), title="Annan enhet")
    response = client_as(worker).post(
        f"/cases/{case.reference_key}/duplicate", data={"main_reference": hidden.reference}
    )
    assert response.status_code == 422
    assert hidden.title not in response.get_data(as_text=True)
    assert case.duplicate_of_id is None and case.closed_at is None


def test_attachments_upload_and_download(worker, case, client_as) -> None:
    client = client_as(worker)
    response = client.post(
        f"/cases/{case.reference_key}/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.4 karta"), "karta.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    body = _page(client, case)
    assert "karta.pdf" in body
    from caseflow.messages.models import Attachment

    attachment = db.session.execute(
        sa.select(Attachment).where(Attachment.case_id == case.id)
    ).scalar_one()
    download = client.get(f"/cases/{case.reference_key}/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == b"%PDF-1.4 karta"


def test_attachment_of_a_forbidden_type_is_422(worker, case, client_as) -> None:
    response = client_as(worker).post(
        f"/cases/{case.reference_key}/attachments",
        data={"file": (io.BytesIO(b"MZ"), "virus.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Tillåtna filtyper" in response.get_data(as_text=True)


def test_protected_contact_is_masked_and_reveals_are_audited(unit, worker, lead, client_as) -> None:
    secret = make_case(
        unit,
        title="Skyddad",
        citizen=make_citizen(email="dold@example.se", protected_identity=True),
    )
    worker_page = _page(client_as(worker), secret)
    assert "dold@example.se" not in worker_page
    assert "Skyddade uppgifter" in worker_page
    assert "Visa (loggas)" not in worker_page
    refused = client_as(worker).post(f"/cases/{secret.reference_key}/contact")
    assert "dold@example.se" not in refused.get_data(as_text=True)
    assert _events(secret, "protected_contact_viewed") == []
    lead_client = client_as(lead)
    assert "dold@example.se" not in _page(lead_client, secret)
    revealed = lead_client.post(f"/cases/{secret.reference_key}/contact")
    assert "dold@example.se" in revealed.get_data(as_text=True)
    assert [e.actor_id for e in _events(secret, "protected_contact_viewed")] == [lead.id]


def test_secret_case_masks_contact_in_the_api_too(unit, worker, client_as) -> None:
    secret = make_case(
        unit, title="Sekretess", secret=True, citizen=make_citizen(email="s@example.se")
    )
    body = client_as(worker).get(f"/api/v1/cases/{secret.reference_key}").get_json()
    assert body["citizen"]["masked"] is True
    assert "s@example.se" not in str(body)


def test_timeline_has_messages_notes_state_changes_and_assignments(worker, case, client_as) -> None:
    client = client_as(worker)
    client.post(f"/cases/{case.reference_key}/assign", data={"assignee_id": "me"})
    client.post(f"/cases/{case.reference_key}/transition", data={"transition": "register"})
    client.post(f"/cases/{case.reference_key}/note", data={"body": "Notering"})
    timeline = client.get(f"/api/v1/cases/{case.reference_key}").get_json()["timeline"]
    kinds = [(e["kind"], e["action"] or e["direction"]) for e in timeline]
    assert kinds == [
        ("event", "opened"),
        ("event", "assigned"),
        ("event", "transition"),
        ("event", "citizen_notified"),  # the register transition's notify_citizen effect
        ("message", "internal"),
    ]


def test_bulk_transition_reports_each_failure(unit, worker, client_as) -> None:
    first, second = make_case(unit, title="A"), make_case(unit, title="B")
    client = client_as(worker)
    client.post(f"/cases/{second.reference_key}/transition", data={"transition": "register"})
    response = client.post(
        "/inbox/bulk",
        data={
            "cases": [first.reference_key, second.reference_key, "XX-2026-9999"],
            "action": "transition",
            "transition": "register",
        },
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert first.state == "registrerad"
    assert f"Klart för 1 ärenden: {first.reference}" in body
    assert f"{second.reference_key}:" in body
    assert "XX-2026-9999: Ärendet finns inte." in body


def test_bulk_assign_by_a_unit_lead(unit, worker, lead, client_as) -> None:
    cases = [make_case(unit, title=f"Fall {i}") for i in range(3)]
    response = client_as(lead).post(
        "/inbox/bulk",
        data={
            "cases": [c.reference_key for c in cases],
            "action": "assign",
            "assignee_id": "",
            "assignee_user": str(worker.id),
        },
    )
    assert response.status_code == 302
    assert {c.assignee_id for c in cases} == {worker.id}
