"""Input no column can hold is a clear 4xx, never a 500: ids past ``integer`` and text with
NUL or lone surrogates (each found by the API fuzz test, on SQLite or PostgreSQL)."""

from __future__ import annotations

from caseflow.auth.tokens import create_token
from caseflow.extensions import db
from tests.factories import make_case, make_eservice, make_unit, make_user

TOO_BIG = "99999999999999999999"


def _admin_headers() -> dict[str, str]:
    _token, secret = create_token(make_user("admin", units=[make_unit()]), "test")
    db.session.flush()
    return {"Authorization": f"Bearer {secret}"}


def test_an_id_past_integer_in_the_path_is_not_found(client) -> None:
    headers = _admin_headers()
    for too_big in ("2147483648", TOO_BIG):
        response = client.post(f"/api/v1/social/inbox/{too_big}/dismiss", json={}, headers=headers)
        assert response.status_code == 404, response.get_data(as_text=True)
    # The largest id still reaches the view (which finds no such item).
    response = client.post("/api/v1/social/inbox/2147483647/dismiss", json={}, headers=headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_an_id_past_integer_in_a_body_or_query_is_a_422(client) -> None:
    headers = _admin_headers()
    case = make_case()
    response = client.post(
        f"/api/v1/cases/{case.reference_key}/assign",
        json={"assignee_id": int(TOO_BIG)},
        headers=headers,
    )
    assert response.status_code == 422
    assert "assignee_id" in response.get_json()["errors"]
    for query in ({"offset": TOO_BIG}, {"assignee": "5790710558"}):
        path = "/api/v1/social/inbox" if "offset" in query else "/api/v1/cases"
        response = client.get(path, query_string=query, headers=headers)
        assert response.status_code == 422, (query, response.get_data(as_text=True))


def test_nul_or_a_lone_surrogate_in_json_is_a_400_naming_the_field(client) -> None:
    eservice = make_eservice()
    url = f"/api/v1/eservices/{eservice.slug}/submissions"
    for bad in ("Trasig\x00 lykta", "Trasig \ud83d lykta"):
        response = client.post(
            url,
            data='{"beskrivning": ' + _json_string(bad) + "}",
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.get_data(as_text=True)
        body = response.get_json()
        assert body["code"] == "unstorable_text"
        assert list(body["errors"]) == ["beskrivning"]
        assert "tecken som inte kan sparas" in body["message"]


def test_a_surrogate_sent_as_raw_utf8_bytes_is_a_400_too(client) -> None:
    """Python's JSON decoder lets a surrogate's raw bytes through (``\xed\xa0\x80``),
    with no escape to see in the body."""
    eservice = make_eservice()
    response = client.post(
        f"/api/v1/eservices/{eservice.slug}/submissions",
        data=b'{"beskrivning": "Trasig \xed\xa0\x80 lykta"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["beskrivning"]


def test_ordinary_text_passes_the_guard(client) -> None:
    """Swedish letters, emoji and their JSON escapes are ordinary text."""
    eservice = make_eservice()
    body = '{"beskrivning": "Gatlyktan på Storgatan är släckt 😀 \\u00e5 \\ud83d\\ude00"}'
    response = client.post(
        f"/api/v1/eservices/{eservice.slug}/submissions",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def test_nul_in_a_citizen_form_is_a_400_page_in_swedish(client) -> None:
    eservice = make_eservice()
    response = client.post(f"/e-tjanster/{eservice.slug}", data={"beskrivning": "Trasig\x00"})
    assert response.status_code == 400
    assert "tecken som inte kan sparas" in response.get_data(as_text=True)
    response = client.get(f"/e-tjanster/{eservice.slug}?lang=en%00")
    assert response.status_code == 400


def _json_string(text: str) -> str:
    """``text`` as a JSON string literal with every non-ASCII code unit escaped, so a lone
    surrogate travels as ``\\ud83d`` (what a broken client sends)."""
    return '"' + "".join(c if 32 <= ord(c) < 127 else f"\\u{ord(c):04x}" for c in text) + '"'
