"""Opening a case: pinned workflow, working-day deadline, audit event, unguessable token."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from caseflow.audit.models import CaseEvent
from caseflow.errors import ValidationFailed
from caseflow.extensions import db
from tests.factories import make_case, make_eservice, make_unit


def test_case_follows_its_eservice_workflow_and_deadline() -> None:
    eservice = make_eservice(workflow_key="felanmalan", handling_days=5)
    # Thursday 2026-04-02; Good Friday and Easter Monday are not working days.
    case = make_case(
        eservice.unit, eservice=eservice, opened_at=datetime(2026, 4, 2, 8, tzinfo=UTC)
    )
    assert case.workflow_key == "felanmalan"
    assert case.workflow_version >= 1
    assert case.sla_days == 5
    assert case.due_date == date(2026, 4, 13)  # Good Friday and Easter Monday skipped


def test_opening_is_audited_with_the_initial_state() -> None:
    case = make_case()
    events = (
        db.session.execute(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)).scalars().all()
    )
    assert [(e.action, e.to_state) for e in events] == [("opened", case.state)]


def test_tracking_tokens_are_long_and_distinct() -> None:
    unit = make_unit()
    tokens = {make_case(unit).tracking_token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 40 for t in tokens)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("title", {"title": "   "}),
        ("workflow_key", {"workflow_key": "finns-inte"}),
    ],
)
def test_invalid_openings_raise_validation_errors(field: str, kwargs: dict) -> None:
    with pytest.raises(ValidationFailed) as info:
        make_case(**kwargs)
    assert field in info.value.errors
