"""Open311 clients are other programs, and they send anything: every POST and every request
search is answered with the resource or a GeoReport error (400/403/404), never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_eservice, make_unit
from tests.open311.conftest import API_KEY

VALID = {
    "api_key": API_KEY,
    "service_code": "felanmalan-gata",
    "address_string": "Vaksalagatan 1, Uppsala",
    "lat": "59.86",
    "long": "17.64",
    "attribute[skada]": "hal",
    "attribute[farlig]": "true",
    "description": "Stort hål i asfalten",
    "email": "greta@example.se",
    "phone": "070-123 45 67",
    "first_name": "Greta",
    "media_url": "https://example.se/bild.jpg",
}
NAMES = [*sorted(VALID), "address_id", "device_id", "account_id", "last_name", "attribute[okänd]"]
values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "nan", "inf", "-1e400", "1e400", "99999999999999999999", "0x10"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
posts = st.builds(
    lambda changes, removed: {k: v for k, v in {**VALID, **changes}.items() if k not in removed},
    st.dictionaries(st.sampled_from(NAMES), values, max_size=4),
    st.sets(st.sampled_from(sorted(VALID)), max_size=3),
)
searches = st.dictionaries(
    st.sampled_from(["service_request_id", "service_code", "start_date", "end_date", "status"]),
    values,
    max_size=4,
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def _service() -> None:
    """Per example: a refused request rolls back rows a fixture wrote in the test's
    transaction."""
    make_eservice(
        make_unit("GSF"),
        slug="felanmalan-gata",
        form={
            "fields": [
                {"name": "beskrivning", "type": "textarea", "required": True, "label_sv": "B"},
                {
                    "name": "skada",
                    "type": "select",
                    "required": True,
                    "label_sv": "Skada",
                    "options": [{"value": "hal", "label_sv": "Hål"}],
                },
                {"name": "farlig", "type": "checkbox", "label_sv": "Farligt?"},
            ]
        },
    )


@SETTINGS
@given(body=posts)
def test_any_post_is_answered(client, open311_app, body) -> None:
    from caseflow.eservices.queries import published_eservice

    if published_eservice("felanmalan-gata") is None:
        _service()
    response = client.post("/open311/v2/requests.json", data=body)
    assert response.status_code in (200, 201, 400, 403, 404), (body, response.status_code)


@SETTINGS
@given(query=searches)
def test_any_request_search_is_answered(client, open311_app, query) -> None:
    response = client.get("/open311/v2/requests.json", query_string=query)
    assert response.status_code in (200, 400), (query, response.status_code)
