"""Jobs that carry out workflow effects after the transition has committed."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.cases.models import Case, CaseStatusChange
from caseflow.cases.notices import already_notified, notify_citizen, state_of
from caseflow.extensions import db


def notify_citizen_of_transition(change_id: int) -> None:
    """Kept for jobs queued before transitions wrote the status mail themselves (a deploy
    with work in Redis): mail the citizen the new public status, once. A change already
    notified, as every new one is in its own transaction, is skipped.
    """
    change = db.session.get(CaseStatusChange, change_id)
    if change is None:
        return
    case = db.session.execute(
        sa.select(Case).where(Case.id == change.case_id).with_for_update()
    ).scalar_one()
    if already_notified(case.id, change_id):
        return
    notify_citizen(case, change, state_of(case, change))
    db.session.commit()
