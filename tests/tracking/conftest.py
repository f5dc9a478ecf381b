"""A submitted case with a caseworker, reached through its tracking link."""

from __future__ import annotations

import pytest

from caseflow.cases.models import Case
from caseflow.cases.transitions import transition_case
from tests.eservices.conftest import FORM, valid_form
from tests.factories import make_eservice, make_unit, make_user


@pytest.fixture
def unit():
    return make_unit(name="Bygglovsenheten")


@pytest.fixture
def caseworker(unit):
    return make_user("handlaggare", units=[unit], email="handlaggare@kommun.example")


@pytest.fixture
def submitted(client, unit) -> Case:
    """A case opened through the public form, as a citizen would."""
    from caseflow.extensions import db

    make_eservice(unit, slug="bygglov-fraga", title_sv="Fråga om bygglov", form=FORM)
    response = client.post("/e-tjanster/bygglov-fraga", data=valid_form())
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.execute(db.select(Case).where(Case.tracking_token == token)).scalar_one()


def start_handling(case: Case, caseworker) -> None:
    """Take the case from Inkommen to Under handläggning with an assignee."""
    case.assignee_id = caseworker.id
    transition_case(case, "register", actor=caseworker)
    transition_case(case, "start_handling", actor=caseworker)


@pytest.fixture
def waiting(submitted: Case, caseworker) -> Case:
    """The caseworker asked the citizen for a complement."""
    start_handling(submitted, caseworker)
    transition_case(
        submitted,
        "request_complement",
        actor=caseworker,
        message="Skicka en ritning över tomten, tack.",
    )
    return submitted
