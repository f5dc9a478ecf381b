"""Open311 GeoReport v2 conformance (the checklist in the team's Open311 notes)."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.db import utcnow
from caseflow.extensions import db
from intake.models import IntakeItem
from tests.factories import make_eservice
from tests.open311.conftest import API_KEY

W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _post(client, **fields):
    body = {
        "api_key": API_KEY,
        "service_code": "felanmalan-gata",
        "address_string": "Vaksalagatan 1, Uppsala",
        "attribute[skada]": "hal",
        "description": "Stort hål i asfalten vid övergångsstället, åäö",
    }
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    return client.post("/open311/v2/requests.json", data=body)


def test_discovery_in_both_formats(client, open311_app) -> None:
    doc = client.get("/open311/v2/discovery.json")
    assert doc.content_type == "application/json; charset=utf-8"
    assert set(doc.json) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = doc.json["endpoints"][0]
    assert endpoint["type"] in {"production", "test"} and "text/xml" in endpoint["formats"]
    xml = client.get("/open311/v2/discovery.xml")
    assert xml.content_type == "text/xml; charset=utf-8"
    assert xml.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(xml.data)
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_service_list_has_every_field_and_a_bare_array(client, pothole_service) -> None:
    make_eservice(slug="ej-publicerad", published_at=None)
    services = client.get("/open311/v2/services.json").json
    assert isinstance(services, list)
    mine = next(s for s in services if s["service_code"] == "felanmalan-gata")
    assert mine == {
        "service_code": "felanmalan-gata",
        "service_name": "Felanmälan gata",
        "description": None,
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": "Gatu- och samhällsmiljöförvaltningen",
    }
    assert "ej-publicerad" not in {s["service_code"] for s in services}


def test_service_definition_lists_attributes_without_contact_fields(
    client, pothole_service
) -> None:
    definition = client.get("/open311/v2/services/felanmalan-gata.json").json
    codes = [a["code"] for a in definition["attributes"]]
    assert codes == ["skada", "farlig"]
    skada = definition["attributes"][0]
    assert skada["datatype"] == "singlevaluelist" and skada["required"] is True
    assert skada["values"] == [
        {"key": "hal", "name": "Hål i vägen"},
        {"key": "lykta", "name": "Trasig lykta"},
    ]
    assert [a["order"] for a in definition["attributes"]] == [1, 2]
    xml = ET.fromstring(client.get("/open311/v2/services/felanmalan-gata.xml").data)
    assert [v.findtext("key") for v in xml.findall("attributes/attribute/values/value")][:2] == [
        "hal",
        "lykta",
    ]
    missing = client.get("/open311/v2/services/finns-inte.json")
    assert missing.status_code == 404
    assert missing.json == [{"code": 404, "description": "service_code not found"}]


@pytest.mark.parametrize("key", [None, "", "fel-nyckel"])
def test_post_without_a_valid_key_is_403(client, open311_app, pothole_service, key) -> None:
    response = _post(client, api_key=key)
    assert response.status_code == 403
    assert response.json[0]["code"] == 403
    assert db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one() == 0


def test_post_opens_a_case_and_hides_the_key_and_contact(
    client, open311_app, pothole_service
) -> None:
    response = _post(client, email="anna@example.se", first_name="Anna", last_name="Berg")
    assert response.status_code == 201
    [answer] = response.json
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    case = db.session.execute(sa.select(Case)).scalar_one()
    assert answer["service_request_id"] == case.reference_key
    assert case.channel == "open311" and case.workflow_key == "felanmalan"
    assert case.citizen.email == "anna@example.se"
    item = db.session.execute(sa.select(IntakeItem)).scalar_one()
    assert item.case_id == case.id and item.status == "processed"
    assert API_KEY.encode() not in item.raw
    shown = client.get(f"/open311/v2/requests/{case.reference_key}.json").json[0]
    assert "anna@example.se" not in str(shown) and "Anna" not in str(shown)
    assert shown["status"] == "open"
    assert shown["description"].startswith("Stort hål i asfalten vid övergångsstället, åäö")
    assert shown["address"] == "Vaksalagatan 1, Uppsala"
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3.match(shown[key]), key


def test_the_same_post_twice_makes_one_case(client, open311_app, pothole_service) -> None:
    first = _post(client).json[0]["service_request_id"]
    second = _post(client).json[0]["service_request_id"]
    assert first == second
    assert db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address_string": None}, "location is required"),
        ({"address_string": None, "lat": "59.86"}, "lat and long"),
        ({"lat": "north", "long": "17.6"}, "lat is not a number"),
        ({"attribute[skada]": None}, "attribute[skada] is required"),
        ({"attribute[skada]": "meteor"}, "unknown value"),
        ({"description": "x" * 4001}, "longer than 4000"),
        ({"service_code": ""}, "service_code not provided"),
    ],
)
def test_bad_requests_are_400_and_write_nothing(
    client, open311_app, pothole_service, fields, message
) -> None:
    response = _post(client, **fields)
    assert response.status_code == 400
    assert message in response.json[0]["description"]
    assert db.session.execute(sa.select(sa.func.count()).select_from(IntakeItem)).scalar_one() == 0


@pytest.mark.parametrize(
    "location",
    [
        {"address_string": None, "lat": "59.8586", "long": "17.6389"},
        {"address_string": None, "address_id": "UPP-1234"},
    ],
)
def test_each_kind_of_location_is_enough(client, open311_app, pothole_service, location) -> None:
    assert _post(client, **location).status_code == 201


def test_unknown_service_code_is_404(client, open311_app, pothole_service) -> None:
    assert _post(client, service_code="finns-inte").status_code == 404


def test_request_list_filters_and_windows(client, open311_app, pothole_service) -> None:
    ids = [_post(client, description=f"Ärende {n}").json[0]["service_request_id"] for n in range(3)]
    old = db.session.execute(sa.select(Case).where(Case.reference_key == ids[0])).scalar_one()
    old.opened_at = utcnow() - timedelta(days=120)
    db.session.commit()
    listed = client.get("/open311/v2/requests.json").json
    assert {r["service_request_id"] for r in listed} == set(ids[1:])
    assert client.get("/open311/v2/requests.json?status=closed").json == []
    assert len(client.get("/open311/v2/requests.json?status=open&service_code=").json) == 2
    explicit = client.get(
        f"/open311/v2/requests.json?service_request_id={ids[0]},{ids[2]}&status=closed"
    ).json
    assert {r["service_request_id"] for r in explicit} == {ids[0], ids[2]}
    too_wide = client.get(
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"
    )
    assert too_wide.status_code == 400
    xml = ET.fromstring(client.get("/open311/v2/requests.xml").data)
    assert xml.tag == "service_requests" and len(xml.findall("request")) == 2


def test_unknown_request_and_format(client, open311_app) -> None:
    assert client.get("/open311/v2/requests/GSF-1999-0001.json").status_code == 404
    assert client.get("/open311/v2/services.yaml").status_code == 400


def test_secret_cases_are_not_listed(client, open311_app, pothole_service) -> None:
    ref = _post(client).json[0]["service_request_id"]
    case = db.session.execute(sa.select(Case).where(Case.reference_key == ref)).scalar_one()
    case.secret = True
    db.session.commit()
    assert client.get(f"/open311/v2/requests/{ref}.json").status_code == 404


def test_a_protected_identity_is_never_matched_by_email(
    client, open311_app, pothole_service
) -> None:
    from tests.factories import make_citizen

    protected = make_citizen(email="skyddad@example.se", protected_identity=True)
    assert _post(client, email="skyddad@example.se").status_code == 201
    case = db.session.execute(sa.select(Case)).scalar_one()
    assert case.citizen_id != protected.id
    assert case.citizen.email == "skyddad@example.se"


def test_changeset_from_the_environment_is_an_iso_string(client, open311_app, monkeypatch) -> None:
    monkeypatch.setitem(open311_app.config, "OPEN311_CHANGESET_AT", "2026-03-01T08:30:00+01:00")
    doc = client.get("/open311/v2/discovery.json").json
    assert doc["changeset"] == "2026-03-01 08:30"
    assert doc["endpoints"][0]["changeset"] == "2026-03-01 08:30"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "inte-en-adress"}, "email is not a valid e-mail address"),
        ({"email": "x" * 300 + "@example.se"}, "email is not a valid e-mail address"),
        ({"phone": "ring mig"}, "phone is not a phone number"),
        ({"phone": "1" * 100}, "phone is not a phone number"),
        ({"first_name": "å" * 101}, "first_name is longer than 100"),
        ({"media_url": "javascript:alert(1)"}, "media_url must be an http or https URL"),
        ({"media_url": "https://example.se/" + "x" * 2000}, "media_url must be"),
    ],
)
def test_malformed_contact_or_media_is_400_not_a_database_error(
    client, open311_app, pothole_service, fields, message
) -> None:
    response = _post(client, **fields)
    assert response.status_code == 400
    assert response.json[0]["description"].startswith(message)
    assert db.session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one() == 0


@pytest.mark.parametrize(
    ("phone", "stored"), [("070-123 45 67", "+46701234567"), ("111111111", "111111111")]
)
def test_phone_numbers_are_normalised_or_kept_as_given(
    client, open311_app, pothole_service, phone, stored
) -> None:
    assert _post(client, phone=phone, email="ring@example.se").status_code == 201
    case = db.session.execute(sa.select(Case)).scalar_one()
    assert case.citizen.phone == stored
