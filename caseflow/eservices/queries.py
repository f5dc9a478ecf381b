"""Reads on e-services: the public catalogue and the goal metric of published services."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from caseflow.db import utcnow
from caseflow.eservices.models import EService
from caseflow.extensions import db


def published_clause(at: datetime) -> sa.ColumnElement[bool]:
    """Published on ``at``: published at or before it and not yet retired."""
    return sa.and_(
        EService.published_at.is_not(None),
        EService.published_at <= at,
        sa.or_(EService.retired_at.is_(None), EService.retired_at > at),
    )


def published_eservices(at: datetime | None = None) -> list[EService]:
    stmt = sa.select(EService).where(published_clause(at or utcnow())).order_by(EService.title_sv)
    return list(db.session.execute(stmt).scalars())


def published_eservice(slug: str, at: datetime | None = None) -> EService | None:
    return db.session.execute(
        sa.select(EService).where(EService.slug == slug, published_clause(at or utcnow()))
    ).scalar_one_or_none()


def eservice_by_slug(slug: str) -> EService | None:
    return db.session.execute(sa.select(EService).where(EService.slug == slug)).scalar_one_or_none()


def published_count(at: datetime) -> int:
    """How many e-services were published at ``at`` (a goal metric)."""
    return int(
        db.session.execute(
            sa.select(sa.func.count()).select_from(EService).where(published_clause(at))
        ).scalar_one()
    )


def all_eservices() -> list[EService]:
    return list(db.session.execute(sa.select(EService).order_by(EService.slug)).scalars())
