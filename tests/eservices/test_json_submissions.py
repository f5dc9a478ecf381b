"""``POST /api/v1/eservices/<slug>/submissions``: the same validation as the form, JSON
answers, and retries that never make a second case."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.usage.models import UsageEvent

URL = "/api/v1/eservices/felanmalan-test/submissions"


def body(**overrides) -> dict:
    data = {
        "namn": "Greta Gatlykta",
        "epost": "greta.gatlykta@example.se",
        "telefon": "070-987 65 43",
        "personnummer": "811218-9876",
        "beskrivning": "Gatlyktan utanför nummer 4 är trasig.",
        "kategori": "gata",
        "plats": {"address": "Storgatan 4", "lat": 59.3293, "long": 18.0686},
        "postnummer": "12345",
        "datum": "2026-01-15",
        "samtycke": True,
    }
    data.update(overrides)
    return data


def _cases(eservice) -> list[Case]:
    return list(
        db.session.execute(
            sa.select(Case).where(Case.eservice_id == eservice.id).order_by(Case.id)
        ).scalars()
    )


def test_valid_submission_answers_201_with_reference_and_tracking_url(client, eservice) -> None:
    response = client.post(URL, json=body())
    assert response.status_code == 201
    answer = response.get_json()
    [case] = _cases(eservice)
    assert set(answer) >= {"reference", "tracking_url", "received_at", "state"}
    assert answer["reference"] == case.reference
    assert answer["tracking_url"].endswith(f"/arende/{case.tracking_token}")
    assert answer["state"] == "inkommen"
    assert answer["received_at"].startswith(case.opened_at.strftime("%Y-%m-%d"))
    assert response.headers["Location"] == answer["tracking_url"]
    assert case.channel == "api"
    assert "Idempotent-Replayed" not in response.headers
    assert (
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(UsageEvent)
            .where(UsageEvent.kind == "form_submitted", UsageEvent.channel == "api")
        ).scalar_one()
        == 1
    )


def test_invalid_values_answer_422_with_swedish_per_field_errors(client, eservice) -> None:
    response = client.post(
        URL, json=body(personnummer="811218-9875", epost="nej", beskrivning="", kategori="hav")
    )
    assert response.status_code == 422
    error = response.get_json()
    assert (error["code"], error["status"]) == ("validation_failed", 422)
    assert error["errors"]["personnummer"] == [
        "Kontrollsiffran stämmer inte. Kontrollera personnumret."
    ]
    assert error["errors"]["epost"][0].startswith("Ange en giltig e-postadress")
    assert error["errors"]["beskrivning"] == ["Fältet är obligatoriskt."]
    assert error["errors"]["kategori"] == ["Välj ett av alternativen."]
    assert _cases(eservice) == []


def test_errors_are_english_with_accept_language(client, eservice) -> None:
    response = client.post(URL, json=body(epost="nej"), headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["epost"][0].startswith("Enter a valid e-mail address")


def test_unknown_fields_and_structured_values_are_refused(client, eservice) -> None:
    response = client.post(URL, json=body(hacker="1", namn={"first": "Greta"}))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"hacker"}
    response = client.post(URL, json=body(namn=["Greta"]))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"namn"}
    assert _cases(eservice) == []


def test_a_body_that_is_not_a_json_object_is_a_422_not_a_500(client, eservice) -> None:
    for data in (b"[1, 2]", b"{not json", b""):
        response = client.post(URL, data=data, content_type="application/json")
        assert response.status_code == 422
        assert "_body" in response.get_json()["errors"]
    assert _cases(eservice) == []


def test_unknown_or_unpublished_eservice_is_404(client, eservice) -> None:
    response = client.post("/api/v1/eservices/finns-inte/submissions", json=body())
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_same_idempotency_key_twice_makes_one_case_and_replays_the_answer(client, eservice) -> None:
    headers = {"Idempotency-Key": "a1b2c3-retry"}
    first = client.post(URL, json=body(), headers=headers)
    second = client.post(URL, json=body(), headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(_cases(eservice)) == 1


def test_same_idempotency_key_with_another_body_is_refused(client, eservice) -> None:
    headers = {"Idempotency-Key": "k-1"}
    client.post(URL, json=body(), headers=headers)
    response = client.post(URL, json=body(beskrivning="Något helt annat."), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"
    assert len(_cases(eservice)) == 1


def test_different_idempotency_keys_make_two_cases_even_for_the_same_body(client, eservice) -> None:
    client.post(URL, json=body(), headers={"Idempotency-Key": "k-1"})
    client.post(URL, json=body(), headers={"Idempotency-Key": "k-2"})
    assert len(_cases(eservice)) == 2


def test_no_key_and_the_same_body_twice_within_the_window_makes_one_case(client, eservice) -> None:
    first = client.post(URL, json=body())
    second = client.post(URL, json=body())
    assert first.get_json() == second.get_json()
    assert len(_cases(eservice)) == 1


def test_no_key_and_different_bodies_make_two_cases(client, eservice) -> None:
    first = client.post(URL, json=body())
    second = client.post(URL, json=body(beskrivning="Lyktan vid nummer 6 också."))
    assert first.get_json()["reference"] != second.get_json()["reference"]
    assert len(_cases(eservice)) == 2


def test_no_key_and_the_same_body_after_the_window_makes_two_cases(
    app, client, eservice, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "SUBMISSION_DEDUPE_SECONDS", 0)
    client.post(URL, json=body())
    client.post(URL, json=body())
    assert len(_cases(eservice)) == 2


def test_an_overlong_idempotency_key_is_refused(client, eservice) -> None:
    response = client.post(URL, json=body(), headers={"Idempotency-Key": "k" * 256})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert _cases(eservice) == []


ODD_VALUES = [None, True, 0, -1.5, 1e308, "", " ", "x" * 5000, [], {}, [1, [2]], {"a": {"b": 1}}]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
@pytest.mark.parametrize(
    "field",
    ["namn", "epost", "telefon", "personnummer", "beskrivning", "kategori", "plats", "samtycke"],
)
def test_odd_json_values_are_answered_201_or_422_never_500(client, eservice, field, value) -> None:
    response = client.post(URL, json=body(**{field: value}))
    assert response.status_code in (201, 422)
    if response.status_code == 422:
        assert response.get_json()["errors"]
