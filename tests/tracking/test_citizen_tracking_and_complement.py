"""The tracking page ``/arende/<token>``: public state and messages, the citizen's reply or
complement (text and files), the assignee's notice, and the ``complemented`` transition."""

from __future__ import annotations

import io
import os

import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case
from caseflow.cases.transitions import transition_case
from caseflow.extensions import db
from caseflow.messages.models import Attachment, Direction, Message
from caseflow.messages.services import add_note, post_reply
from caseflow.notifications.models import OutboxMail
from caseflow.usage.models import UsageEvent
from tests.tracking.conftest import start_handling

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _inbound(case: Case) -> list[Message]:
    return list(
        db.session.execute(
            sa.select(Message)
            .where(Message.case_id == case.id, Message.direction == Direction.INBOUND)
            .order_by(Message.id)
        ).scalars()
    )


def _mails_to(address: str) -> list[OutboxMail]:
    return list(
        db.session.execute(sa.select(OutboxMail).where(OutboxMail.to_address == address)).scalars()
    )


def test_tracking_page_shows_public_state_deadline_and_public_messages_in_order(
    client, submitted, caseworker
) -> None:
    start_handling(submitted, caseworker)
    post_reply(submitted, "Första svaret från kommunen.", actor=caseworker)
    add_note(submitted, "Intern anteckning: ring byggnadsinspektören.", actor=caseworker)
    post_reply(submitted, "Andra svaret från kommunen.", actor=caseworker)
    response = client.get(f"/arende/{submitted.tracking_token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert submitted.reference in page
    assert "Status: <strong>Under handläggning</strong>" in page
    assert f"senast {submitted.due_date.isoformat()}" in page
    assert page.index("Första svaret") < page.index("Andra svaret")
    assert "Intern anteckning" not in page


def test_tracking_page_is_english_with_lang_en_or_accept_language(client, submitted) -> None:
    by_query = client.get(f"/arende/{submitted.tracking_token}?lang=en").get_data(as_text=True)
    by_header = client.get(
        f"/arende/{submitted.tracking_token}", headers={"Accept-Language": "en-GB,en;q=0.9"}
    ).get_data(as_text=True)
    for page in (by_query, by_header):
        assert '<html lang="en">' in page
        assert "Status: <strong>Received</strong>" in page
        assert "Answer or add information" in page


def test_the_reference_alone_never_opens_the_case(client, submitted) -> None:
    url_form = submitted.reference.replace(" ", "-").replace("/", "-")
    for path in (f"/arende/{url_form}", f"/arende/{submitted.reference}", "/arende/x" * 2):
        assert client.get(path).status_code == 404
    assert client.get(f"/arende/{submitted.tracking_token[:-1]}").status_code == 404
    assert len(submitted.tracking_token) >= 32


def test_citizen_reply_with_a_file_becomes_an_inbound_message_on_the_case(
    app, client, submitted
) -> None:
    response = client.post(
        f"/arende/{submitted.tracking_token}",
        data={"meddelande": "Här är ritningen.", "bilagor": (io.BytesIO(PNG), "ritning.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/arende/{submitted.tracking_token}?skickat=1")
    [message] = _inbound(submitted)
    assert (message.body, message.public, message.channel) == (
        "Här är ritningen.",
        True,
        "webform",
    )
    [attachment] = db.session.execute(
        sa.select(Attachment).where(Attachment.message_id == message.id)
    ).scalars()
    assert (attachment.case_id, attachment.filename, attachment.size) == (
        submitted.id,
        "ritning.png",
        len(PNG),
    )
    with open(os.path.join(app.config["UPLOAD_FOLDER"], attachment.storage_key), "rb") as fh:
        assert fh.read() == PNG
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tack! Ditt meddelande har skickats till handläggaren." in page
    assert "Här är ritningen." in page
    assert "ritning.png" in page


def test_citizen_reply_is_a_usage_event_without_personal_data(client, submitted) -> None:
    client.post(f"/arende/{submitted.tracking_token}", data={"meddelande": "Ett tillägg."})
    [event] = db.session.execute(
        sa.select(UsageEvent).where(UsageEvent.kind == "citizen_reply")
    ).scalars()
    assert (event.eservice_id, event.unit_id, event.channel) == (
        submitted.eservice_id,
        submitted.unit_id,
        "webform",
    )


def test_complement_on_a_waiting_case_fires_complemented_and_resumes_the_clock(
    client, waiting
) -> None:
    assert waiting.state == "vantar_komplettering"
    assert waiting.clock_paused_at is not None
    page = client.get(f"/arende/{waiting.tracking_token}").get_data(as_text=True)
    assert "Väntar på komplettering från dig" in page
    assert "Skicka en ritning över tomten, tack." in page

    response = client.post(
        f"/arende/{waiting.tracking_token}", data={"meddelande": "Ritningen är bifogad."}
    )
    assert response.status_code == 303
    db.session.refresh(waiting)
    assert waiting.state == "under_handlaggning"
    assert waiting.clock_paused_at is None
    [event] = db.session.execute(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == waiting.id, CaseEvent.action == "transition")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).scalars()
    assert (event.from_state, event.to_state, event.actor_label) == (
        "vantar_komplettering",
        "under_handlaggning",
        "citizen",
    )


def test_reply_on_a_case_not_waiting_keeps_its_state(client, submitted, caseworker) -> None:
    start_handling(submitted, caseworker)
    client.post(f"/arende/{submitted.tracking_token}", data={"meddelande": "En fråga till."})
    db.session.refresh(submitted)
    assert submitted.state == "under_handlaggning"
    assert len(_inbound(submitted)) == 1


def test_complement_notifies_the_assignee_without_the_message_text(
    client, waiting, caseworker
) -> None:
    client.post(
        f"/arende/{waiting.tracking_token}", data={"meddelande": "Hemlig detalj om tomten."}
    )
    [mail] = _mails_to("handlaggare@kommun.example")
    assert waiting.reference in mail.subject
    assert waiting.reference in mail.body
    assert "Hemlig detalj" not in mail.body
    assert mail.status == "stored"


def test_complement_on_an_unassigned_case_is_flagged_for_the_unit(client, submitted) -> None:
    client.post(f"/arende/{submitted.tracking_token}", data={"meddelande": "Hallå?"})
    kinds = set(
        db.session.execute(
            sa.select(CaseEvent.action).where(CaseEvent.case_id == submitted.id)
        ).scalars()
    )
    assert "complement_unassigned" in kinds


def test_empty_reply_is_refused_with_a_swedish_message_and_no_message(client, submitted) -> None:
    response = client.post(f"/arende/{submitted.tracking_token}", data={"meddelande": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#f-meddelande">Meddelande: Skriv ett meddelande.' in page
    assert 'aria-describedby="f-meddelande-help f-meddelande-error"' in page
    assert _inbound(submitted) == []


def test_reply_with_a_forbidden_file_keeps_the_text_and_writes_nothing(client, submitted) -> None:
    response = client.post(
        f"/arende/{submitted.tracking_token}",
        data={"meddelande": "Se bilagan.", "bilagor": (io.BytesIO(b"MZ\x90"), "virus.exe")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Filen virus.exe har en filtyp som inte är tillåten" in page
    assert ">Se bilagan.</textarea>" in page
    assert _inbound(submitted) == []


def test_filled_honeypot_on_the_reply_form_is_refused(client, submitted) -> None:
    response = client.post(
        f"/arende/{submitted.tracking_token}",
        data={"meddelande": "Köp billiga klockor", "webbadress": "http://spam.example"},
    )
    assert response.status_code == 400
    assert _inbound(submitted) == []


def test_closed_case_shows_no_reply_form_and_refuses_replies(client, submitted, caseworker) -> None:
    start_handling(submitted, caseworker)
    transition_case(submitted, "decide", actor=caseworker, note="Beviljas.")
    transition_case(submitted, "close", actor=caseworker)
    page = client.get(f"/arende/{submitted.tracking_token}").get_data(as_text=True)
    assert "Ärendet är avslutat" in page
    assert 'name="meddelande"' not in page
    response = client.post(f"/arende/{submitted.tracking_token}", data={"meddelande": "Hej"})
    assert response.status_code == 409
    assert _inbound(submitted) == []
