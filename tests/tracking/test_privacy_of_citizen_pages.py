"""Nothing personal on the citizen pages: the submitter's e-mail, phone number and
personnummer (in any spelling) never appear on the form, the receipt or the tracking page,
nor in the logs or the URLs of a submission."""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.tracking.services import complement_case
from tests.eservices.conftest import FORM, SUBMITTER, valid_form
from tests.factories import make_eservice

SECRETS = [
    SUBMITTER["epost"],
    "greta.gatlykta",
    "070-987 65 43",
    "0709876543",
    "+46709876543",
    "709876543",
    "811218-9876",
    "8112189876",
    "198112189876",
    "19811218-9876",
    SUBMITTER["namn"],
]


def assert_nothing_personal(text: str, where: str) -> None:
    digits = re.sub(r"\D", "", text)
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} on {where}"
    for number in ("8112189876", "709876543"):
        assert number not in digits, f"{number!r} hidden in the digits of {where}"


def test_form_receipt_and_tracking_pages_show_nothing_personal(
    client, submitted, caseworker, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    form = client.get("/e-tjanster/bygglov-fraga")
    receipt_url = f"/e-tjanster/bygglov-fraga/kvittens/{submitted.tracking_token}"
    receipt = client.get(receipt_url)
    complement_case(submitted, "Här kommer mer information.")
    tracking = client.get(f"/arende/{submitted.tracking_token}")
    tracking_en = client.get(f"/arende/{submitted.tracking_token}?lang=en")
    pages = {"form": form, "receipt": receipt, "tracking": tracking, "tracking_en": tracking_en}
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_nothing_personal(response.get_data(as_text=True), where)
    assert submitted.reference in receipt.get_data(as_text=True)
    assert "Här kommer mer information." in tracking.get_data(as_text=True)
    assert_nothing_personal(receipt_url, "the receipt URL")
    assert_nothing_personal(caplog.text, "the log")


def test_submission_leaves_nothing_personal_in_logs_urls_or_case_text(client, unit, caplog) -> None:
    eservice = make_eservice(unit, slug="felanmalan-test", form=FORM)
    caplog.set_level(logging.DEBUG)
    response = client.post("/e-tjanster/felanmalan-test", data=valid_form())
    assert response.status_code == 303
    assert_nothing_personal(response.headers["Location"], "the redirect")
    assert_nothing_personal(caplog.text, "the log")
    case = db.session.execute(sa.select(Case).where(Case.eservice_id == eservice.id)).scalar_one()
    assert_nothing_personal(case.title + case.description, "the case text")


def test_the_receipt_mail_has_the_reference_but_no_phone_or_personnummer(client, unit) -> None:
    make_eservice(unit, slug="felanmalan-test", form=FORM)
    client.post("/e-tjanster/felanmalan-test", data=valid_form())
    mail = db.session.execute(sa.select(OutboxMail)).scalar_one()
    assert mail.to_address == SUBMITTER["epost"]
    text = mail.subject + mail.body
    for secret in ("811218-9876", "198112189876", "070-987 65 43", "+46709876543"):
        assert secret not in text
    assert "Ärendenummer" in mail.body
