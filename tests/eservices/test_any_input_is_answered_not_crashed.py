"""Whatever a citizen or a client sends to an e-service, the answer is the receipt or a clear
error (400/422 per field), never a 500: Hypothesis draws values of every type for every field
of the all-kinds form, mixed with valid ones so that some submissions open cases."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eservices.conftest import FORM, valid_form
from tests.factories import make_eservice, make_unit

FIELDS = [f["name"] for f in FORM["fields"] if f["type"] != "file"]
VALID = valid_form()

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
addresses = st.fixed_dictionaries(
    {},
    optional={
        "address": st.text(max_size=60),
        "lat": st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=10),
        "long": st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=10),
    },
)


def _json_value(name: str) -> st.SearchStrategy:
    valid = VALID.get(name)
    if name == "plats":
        return st.one_of(addresses, anything)
    if name == "samtycke":
        return st.one_of(st.just(True), anything)
    return st.one_of(st.just(valid), anything) if valid is not None else anything


VALID_JSON = {
    **{name: VALID[name] for name in FIELDS if name in VALID and name != "plats"},
    "plats": {"address": "Storgatan 4", "lat": 59.3293, "long": 18.0686},
    "samtycke": True,
}


def _mutated(base: dict, strategy_for) -> st.SearchStrategy:
    """``base`` with up to three fields replaced by drawn values and up to two removed: most
    examples stay close to a valid submission, so both answers are exercised."""
    return st.builds(
        lambda changes, removed: {k: v for k, v in {**base, **changes}.items() if k not in removed},
        st.dictionaries(
            st.sampled_from(sorted(base)), st.deferred(lambda: strategy_for), max_size=3
        ),
        st.sets(st.sampled_from(sorted(base)), max_size=2),
    )


json_bodies = st.one_of(
    _mutated(VALID_JSON, anything),
    st.fixed_dictionaries({}, optional={name: _json_value(name) for name in FIELDS}),
)
form_bodies = _mutated(valid_form(), st.text(max_size=40))

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@SETTINGS
@given(body=json_bodies)
def test_json_submissions_are_answered_201_or_4xx(client, body) -> None:
    eservice = _eservice()
    response = client.post(f"/api/v1/eservices/{eservice.slug}/submissions", json=_finite(body))
    assert response.status_code in (201, 400, 422), (body, response.get_data(as_text=True))
    if response.status_code != 201:
        assert response.get_json()["errors"]


@SETTINGS
@given(form=form_bodies)
def test_form_submissions_are_answered_303_or_4xx(client, form) -> None:
    eservice = _eservice()
    response = client.post(f"/e-tjanster/{eservice.slug}", data=form)
    assert response.status_code in (303, 400, 422), (form, response.status_code)


def _eservice():
    """A new e-service per example: a refused form rolls the request's session back, and with
    it rows a fixture wrote in the test's transaction."""
    return make_eservice(make_unit(), form=FORM)


def _finite(value):
    """JSON has no NaN or infinity; a client that sends them sends strings instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
