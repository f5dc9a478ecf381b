"""Every JSON API operation, fed schema-generated input by schemathesis: bad input gets a
clear 4xx answer, never a 500 (the brief's rule), for a signed-in admin.

The operations are walked in one test (schemathesis's pytest plugin does not load under this
pytest), each with Hypothesis's examples from its OpenAPI schema. Every example is sent twice:
as generated, and with its path parameters pointing at real rows (a case, an e-service, a
social item, a workflow), so the bodies reach the handlers' own validation instead of stopping
at a 404. Every 5xx is collected and reported with the request that caused it.
``CASEFLOW_FUZZ_EXAMPLES`` sets the examples per operation (default 15; raise it to hunt).
"""

from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import given

from caseflow.auth.tokens import create_token
from caseflow.extensions import db
from tests.factories import make_user
from tests.fuzzing import FUZZ_SETTINGS, real_rows


def _real_rows() -> tuple[dict[str, str], dict[str, object]]:
    """An admin's bearer header, and path parameters that name existing rows."""
    rows = real_rows()
    _token, secret = create_token(make_user("admin", units=[rows.unit]), "fuzz")
    db.session.flush()
    real = {
        "reference": rows.case.reference_key,
        "slug": rows.eservice.slug,
        "item_id": rows.social_item_id,
        "key": rows.case.workflow_key,
    }
    return {"Authorization": f"Bearer {secret}"}, real


def test_no_generated_input_gets_a_server_error(app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers, real = _real_rows()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the whole API, not an empty spec

    for operation in operations:
        _prober(operation, headers, real, failures)()
    assert not failures, "\n".join(sorted(set(failures)))


def _prober(operation, headers: dict[str, str], real: dict[str, object], failures: list[str]):
    """A Hypothesis test of one operation; each example is sent as generated and again with
    its path parameters naming real rows."""

    @given(case=operation.as_strategy())
    @FUZZ_SETTINGS
    def probe(case) -> None:
        for attempt in ("generated", "real rows"):
            if attempt == "real rows":
                if not case.path_parameters:
                    return
                case.path_parameters = {
                    name: real.get(name, value) for name, value in case.path_parameters.items()
                }
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code} {operation.label}: {case.as_curl_command()}"
                )

    return probe
