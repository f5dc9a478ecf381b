"""Today's raw case counts judge "closed in time" by the Swedish calendar day of the moment
handling ended, up to the last minute of the due date."""

from __future__ import annotations

from datetime import timedelta

from caseflow.cases.transitions import transition_case
from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.reports.periods import today
from caseflow.reports.usage_queries import usage_series
from tests.factories import make_case, make_eservice
from tests.reports.conftest import local


def _closed_today(staff, *, due, stopped=None):
    eservice = make_eservice(staff.unit, workflow_key="fraga")
    case = make_case(
        staff.unit, eservice=eservice, workflow_key="fraga", opened_at=utcnow() - timedelta(days=5)
    )
    transition_case(case, "dismiss", actor=staff.handlaggare, note="Klart.")
    case.closed_at = local(today(), 0, 30)
    case.due_date = due
    case.clock_stopped_at = stopped
    db.session.flush()
    return case


def test_closed_in_time_up_to_the_end_of_the_local_due_date(staff) -> None:
    yesterday = today() - timedelta(days=1)
    _closed_today(staff, due=today())  # closed on the due date: in time
    _closed_today(staff, due=yesterday, stopped=local(yesterday, 23, 59))  # clock stopped in time
    _closed_today(staff, due=yesterday, stopped=local(today(), 0, 1))  # a minute late
    _closed_today(staff, due=yesterday)  # closed after the due date: late
    closed = sum(usage_series(["case_closed"], today(), today()).values())
    in_time = sum(usage_series(["case_closed_in_time"], today(), today()).values())
    assert (closed, in_time) == (4, 2)
