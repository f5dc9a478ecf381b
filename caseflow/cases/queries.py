"""Reads on cases."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.cases.references import reference_key
from caseflow.extensions import db


def case_by_reference(reference: str) -> Case | None:
    """Accepts both ``KS 2026/0042`` and ``KS-2026-0042``."""
    return db.session.execute(
        sa.select(Case).where(Case.reference_key == reference_key(reference))
    ).scalar_one_or_none()


def case_by_token(token: str) -> Case | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        sa.select(Case).where(Case.tracking_token == token)
    ).scalar_one_or_none()
