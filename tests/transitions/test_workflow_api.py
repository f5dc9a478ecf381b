"""The workflow and transition API: every status code the issue names, and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from caseflow.auth.models import User
from caseflow.cases.deadlines import flag_overdue_cases
from caseflow.cases.models import Case
from tests.transitions.conftest import Staff

NewCase = Callable[..., Case]
ClientAs = Callable[[User], FlaskClient]


def _url(case: Case) -> str:
    return f"/api/v1/cases/{case.reference_key}/transitions"


def _post(client: FlaskClient, case: Case, **body: Any) -> Any:
    return client.post(_url(case), json=body)


def test_workflows_are_listed(staff: Staff, client_as: ClientAs) -> None:
    response = client_as(staff.handlaggare).get("/api/v1/workflows")
    assert response.status_code == 200
    assert [w["key"] for w in response.json] == ["arende", "felanmalan", "fraga"]
    assert response.json[0]["title_sv"] == "Ärende"
    assert response.json[0]["versions"] == [1]


def test_workflow_has_states_transitions_and_mermaid(staff: Staff, client_as: ClientAs) -> None:
    response = client_as(staff.handlaggare).get("/api/v1/workflows/arende")
    assert response.status_code == 200
    body = response.json
    assert body["initial_state"] == "inkommen"
    assert body["mermaid"].startswith("stateDiagram-v2")
    assert {s["name"] for s in body["states"]} >= {"inkommen", "vantar_komplettering"}
    decide = next(t for t in body["transitions"] if t["name"] == "decide")
    assert decide["roles"] == ["enhetschef", "handlaggare"]
    assert decide["guards"] == ["requires_assignee", "requires_note"]


def test_workflow_version_can_be_asked_for(staff: Staff, client_as: ClientAs) -> None:
    client = client_as(staff.handlaggare)
    assert client.get("/api/v1/workflows/fraga?version=1").json["version"] == 1
    assert client.get("/api/v1/workflows/fraga?version=7").status_code == 404


def test_unknown_workflow_is_404(staff: Staff, client_as: ClientAs) -> None:
    response = client_as(staff.handlaggare).get("/api/v1/workflows/finns_inte")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_api_needs_a_signed_in_user(client: FlaskClient, new_case: NewCase) -> None:
    assert client.get("/api/v1/workflows").status_code == 401
    assert _post(client, new_case(), transition="register").status_code == 401


def test_available_transitions_are_what_the_user_may_fire(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    response = client_as(staff.handlaggare).get(_url(case))
    assert response.status_code == 200
    assert response.json["state"] == "inkommen"
    assert response.json["state_label_sv"] == "Inkommen"
    names = {t["name"]: t for t in response.json["transitions"]}
    assert set(names) == {"register", "dismiss"}
    assert names["dismiss"]["needs"] == ["note"]


def test_admin_sees_the_case_but_may_fire_nothing(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    response = client_as(staff.admin).get(_url(new_case()))
    assert response.status_code == 200
    assert response.json["transitions"] == []


def test_available_transitions_say_what_blocks_them(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    client = client_as(staff.handlaggare)
    _post(client, case, transition="register")
    [start] = [t for t in client.get(_url(case)).json["transitions"] if t["name"] != "dismiss"]
    assert start["name"] == "start_handling"
    assert start["blocked_by"] == ["requires_assignee"]


def test_post_transition_200_with_the_new_state(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    response = _post(client_as(staff.registrator), case, transition="register")
    assert response.status_code == 200
    assert response.json["state"] == "registrerad"
    assert response.json["previous_state"] == "inkommen"
    assert response.json["state_label_sv"] == "Registrerad"
    assert response.json["final"] is False


def test_post_accepts_the_display_reference_form(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    display = case.reference.replace(" ", "%20").replace("/", "-")
    response = client_as(staff.registrator).post(
        f"/api/v1/cases/{display}/transitions", json={"transition": "register"}
    )
    assert response.status_code == 200


def test_post_final_transition_reports_closed(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    response = _post(client_as(staff.enhetschef), case, transition="dismiss", note="Spam.")
    assert response.status_code == 200
    assert response.json["final"] is True
    assert response.json["closed_at"] is not None


def test_post_409_when_not_allowed_from_the_state(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    response = _post(client_as(staff.handlaggare), case, transition="decide", note="Ja.")
    assert response.status_code == 409
    body = response.json
    assert body["code"] == "transition_not_allowed" and body["status"] == 409
    assert body["errors"]["allowed"] == ["register", "dismiss"]
    assert body["errors"]["state"] == ["inkommen"]


def test_post_409_for_an_unknown_transition_name(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    response = _post(client_as(staff.handlaggare), new_case(), transition="teleport")
    assert response.status_code == 409


def test_post_403_when_the_role_may_not(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    response = _post(client_as(staff.admin), new_case(), transition="register")
    assert response.status_code == 403
    assert response.json["code"] == "role_not_allowed"
    assert response.json["errors"]["roles"] == ["enhetschef", "handlaggare", "registrator"]


def test_post_404_for_a_case_of_another_unit(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case()
    client = client_as(staff.outsider)
    response = _post(client, case, transition="register")
    assert response.status_code == 404
    assert response.json["code"] == "not_found"
    assert client.get(_url(case)).status_code == 404
    assert case.reference not in response.get_data(as_text=True)


def test_post_404_for_a_missing_case(staff: Staff, client_as: ClientAs) -> None:
    response = client_as(staff.registrator).post(
        "/api/v1/cases/XX-2026-9999/transitions", json={"transition": "register"}
    )
    assert response.status_code == 404


def test_post_422_when_a_guard_fails(staff: Staff, new_case: NewCase, client_as: ClientAs) -> None:
    case = new_case()
    case.assignee_id = staff.handlaggare.id
    client = client_as(staff.handlaggare)
    _post(client, case, transition="register")
    _post(client, case, transition="start_handling")
    response = _post(client, case, transition="decide")
    assert response.status_code == 422
    assert response.json["code"] == "guard_failed"
    assert response.json["errors"]["guards"] == ["requires_note"]
    assert "note" in response.json["errors"]
    assert _post(client, case, transition="decide", note="Bifall.").status_code == 200


def test_post_422_for_a_malformed_body(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    response = client_as(staff.handlaggare).post(_url(new_case()), json={"note": "x"})
    assert response.status_code == 422
    assert "transition" in response.json["errors"]


def test_delay_notice_endpoint_and_overdue_report(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    case = new_case(opened_at=datetime(2026, 3, 30, 8, tzinfo=UTC))
    flag_overdue_cases(datetime(2026, 4, 16, 8, tzinfo=UTC))
    client = client_as(staff.handlaggare)
    overdue = client.get("/api/v1/deadlines/overdue").json
    assert case.reference in [c["reference"] for c in overdue]
    response = client.post(
        f"/api/v1/cases/{case.reference_key}/delay-notice",
        json={"reason": "Vi väntar på ett yttrande.", "expected_by": "2026-05-08"},
    )
    assert response.status_code == 200
    assert response.json["message_id"]
    assert case.reference not in [
        c["reference"] for c in client.get("/api/v1/deadlines/overdue").json
    ]


def test_overdue_report_hides_other_units(
    staff: Staff, new_case: NewCase, client_as: ClientAs
) -> None:
    new_case(opened_at=datetime(2026, 3, 30, 8, tzinfo=UTC))
    flag_overdue_cases(datetime(2026, 4, 16, 8, tzinfo=UTC))
    assert client_as(staff.outsider).get("/api/v1/deadlines/overdue").json == []


@pytest.mark.parametrize("body", [{}, {"reason": ""}])
def test_delay_notice_needs_a_reason(
    staff: Staff, new_case: NewCase, client_as: ClientAs, body: dict[str, str]
) -> None:
    case = new_case()
    response = client_as(staff.handlaggare).post(
        f"/api/v1/cases/{case.reference_key}/delay-notice", json=body
    )
    assert response.status_code == 422
