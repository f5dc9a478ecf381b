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

import os
from datetime import UTC, datetime

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from caseflow.auth.tokens import create_token
from caseflow.extensions import db
from caseflow.social.inbound import InboundPost
from caseflow.social.ingest import ingest_posts
from tests.factories import make_case, make_citizen, make_eservice, make_unit, make_user
from tests.social.helpers import item

EXAMPLES = int(os.environ.get("CASEFLOW_FUZZ_EXAMPLES", "15"))


def _real_rows() -> tuple[dict[str, str], dict[str, object]]:
    """An admin's bearer header, and path parameters that name existing rows."""
    unit = make_unit()
    user = make_user("admin", units=[unit])
    _token, secret = create_token(user, "fuzz")
    case = make_case(unit, citizen=make_citizen())
    eservice = make_eservice(unit)
    ingest_posts(
        [
            InboundPost(
                channel="facebook",
                external_id="fuzz_1",
                kind="comment",
                thread_key="fuzz_post",
                text="Gatlyktan är trasig",
                posted_at=datetime(2026, 11, 1, tzinfo=UTC),
                author_external_id="fuzz_author",
                author_name="Greta",
            )
        ]
    )
    db.session.flush()
    real = {
        "reference": case.reference_key,
        "slug": eservice.slug,
        "item_id": item("facebook", "fuzz_1").id,
        "key": case.workflow_key,
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
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
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
