"""The public form: submission, receipt, validation, dedupe, honeypot, usage events."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.messages.models import Attachment
from caseflow.notifications.models import OutboxMail
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem
from tests.eservices.conftest import valid_form
from tests.factories import make_eservice

PDF = b"%PDF-1.7\n%test\n"


def _cases(eservice) -> list[Case]:
    return list(
        db.session.execute(sa.select(Case).where(Case.eservice_id == eservice.id)).scalars()
    )


def _usage(kind: str, eservice) -> int:
    return db.session.execute(
        sa.select(sa.func.count())
        .select_from(UsageEvent)
        .where(UsageEvent.kind == kind, UsageEvent.eservice_id == eservice.id)
    ).scalar_one()


def test_catalogue_lists_published_eservices_only(client, eservice) -> None:
    make_eservice(eservice.unit, title_sv="Ej publicerad", published_at=None)
    make_eservice(
        eservice.unit,
        title_sv="Avpublicerad",
        published_at=utcnow() - timedelta(days=10),
        retired_at=utcnow() - timedelta(days=1),
    )
    page = client.get("/e-tjanster").get_data(as_text=True)
    assert "Felanmälan gata" in page
    assert "/e-tjanster/felanmalan-test" in page
    assert "Ej publicerad" not in page
    assert "Avpublicerad" not in page


def test_form_marks_required_fields_and_promises_email_stays_private(client, eservice) -> None:
    response = client.get("/e-tjanster/felanmalan-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Obligatoriska fält är märkta *" in page
    assert "Din e-postadress kommer inte publiceras" in page
    assert '<label for="f-beskrivning">Beskriv felet' in page
    assert 'aria-describedby="f-beskrivning-help"' in page
    assert 'name="csrf_token"' in page
    assert _usage("eservice_view", eservice) == 1


@pytest.mark.parametrize("slug", ["finns-inte", "ej-publicerad"])
def test_unknown_or_unpublished_eservice_is_not_found(client, eservice, slug) -> None:
    make_eservice(eservice.unit, slug="ej-publicerad", published_at=None)
    assert client.get(f"/e-tjanster/{slug}").status_code == 404
    assert client.post(f"/e-tjanster/{slug}", data=valid_form()).status_code == 404


def test_valid_submission_registers_opens_case_and_shows_receipt(client, eservice) -> None:
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 303
    [case] = _cases(eservice)
    assert response.headers["Location"].endswith(
        f"/e-tjanster/felanmalan-test/kvittens/{case.tracking_token}"
    )
    item = db.session.execute(
        sa.select(IntakeItem).where(IntakeItem.case_id == case.id)
    ).scalar_one()
    assert (item.channel, item.kind, item.status) == ("webform", "submission", "processed")
    assert case.channel == "webform"
    assert case.title == "Felanmälan gata: Gatlyktan utanför nummer 4 är trasig."
    assert "Plats: Storgatan 4 (59.3293, 18.0686)" in case.description
    citizen = db.session.get(Citizen, case.citizen_id)
    assert (citizen.name, citizen.email, citizen.phone, citizen.personnummer) == (
        "Greta Gatlykta",
        "greta.gatlykta@example.se",
        "+46709876543",
        "198112189876",
    )
    for secret in ("greta.gatlykta", "9876", "Greta"):
        assert secret not in case.description
        assert secret.encode() not in item.raw
    assert _usage("form_submitted", eservice) == 1

    receipt = client.get(response.headers["Location"])
    page = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert receipt.headers["Referrer-Policy"] == "no-referrer"
    assert case.reference in page
    assert "Gatukontoret" in page
    assert f"5 arbetsdagar, senast {case.due_date.isoformat()}" in page
    assert f"/arende/{case.tracking_token}" in page


def test_receipt_mail_is_stored_in_the_outbox_without_smtp(client, eservice) -> None:
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    [case] = _cases(eservice)
    mail = db.session.execute(
        sa.select(OutboxMail).where(OutboxMail.case_id == case.id)
    ).scalar_one()
    assert mail.status == "stored"
    assert mail.to_address == "greta.gatlykta@example.se"
    assert case.reference in mail.subject
    assert case.reference in mail.body
    assert f"/arende/{case.tracking_token}" in mail.body


def test_invalid_submission_rerenders_with_swedish_messages_and_keeps_input(
    client, eservice
) -> None:
    data = valid_form(epost="inte-en-adress", personnummer="811218-9875", beskrivning="")
    response = client.post("/e-tjanster/felanmalan-test", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Fel: Felanmälan gata" in page
    assert 'href="#f-epost">E-postadress: Ange en giltig e-postadress' in page
    assert 'href="#f-personnummer">Personnummer: Kontrollsiffran stämmer inte' in page
    assert 'href="#f-beskrivning">Beskriv felet: Fältet är obligatoriskt.' in page
    assert 'aria-describedby="f-epost-help f-epost-error" aria-invalid="true"' in page
    assert 'value="inte-en-adress"' in page
    assert 'value="Storgatan 4"' in page
    assert _cases(eservice) == []
    assert db.session.execute(sa.select(sa.func.count()).select_from(IntakeItem)).scalar_one() == 0


def test_english_form_gives_english_messages(client, eservice) -> None:
    response = client.post("/e-tjanster/felanmalan-test?lang=en", data=valid_form(epost="x"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Report a street fault" in page
    assert "Enter a valid e-mail address" in page


def test_filled_honeypot_is_refused_without_a_case(client, eservice) -> None:
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form(webbadress="http://x"))
    assert response.status_code == 400
    assert _cases(eservice) == []


def test_double_submit_of_the_same_form_makes_one_case(client, eservice) -> None:
    first = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    second = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert len(_cases(eservice)) == 1
    assert first.headers["Location"] == second.headers["Location"]
    assert _usage("form_submitted", eservice) == 1


def test_different_submissions_make_two_cases(client, eservice) -> None:
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    client.post("/e-tjanster/felanmalan-test", data=valid_form(beskrivning="Ett annat fel."))
    assert len(_cases(eservice)) == 2


def test_identical_submission_after_the_dedupe_window_makes_a_second_case(
    app, client, eservice, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SUBMISSION_DEDUPE_SECONDS", 0)
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert len(_cases(eservice)) == 2


def test_attachments_are_stored_outside_the_web_root(app, client, eservice) -> None:
    data = valid_form()
    data["bilaga"] = (io.BytesIO(PDF), "intyg.pdf")
    response = client.post(
        "/e-tjanster/felanmalan-test", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    [case] = _cases(eservice)
    [attachment] = db.session.execute(
        sa.select(Attachment).where(Attachment.case_id == case.id)
    ).scalars()
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "intyg.pdf",
        "application/pdf",
        len(PDF),
    )
    path = os.path.join(app.config["UPLOAD_FOLDER"], attachment.storage_key)
    with open(path, "rb") as handle:
        assert handle.read() == PDF
    assert not os.path.abspath(path).startswith(os.path.abspath(app.static_folder))


def test_attachment_of_a_forbidden_type_rerenders_the_form(client, eservice) -> None:
    data = valid_form()
    data["bilaga"] = (io.BytesIO(b"MZ\x90\x00"), "program.exe")
    response = client.post(
        "/e-tjanster/felanmalan-test", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Filen program.exe har en filtyp som inte är tillåten" in response.get_data(True)
    assert _cases(eservice) == []


def test_form_without_csrf_token_is_refused_when_csrf_is_on(app, client, eservice, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 400
    assert _cases(eservice) == []


def test_request_over_the_size_limit_is_refused(app, client, eservice, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    data = valid_form(beskrivning="x" * 2000)
    response = client.post("/e-tjanster/felanmalan-test", data=data)
    assert response.status_code == 413
    assert _cases(eservice) == []
