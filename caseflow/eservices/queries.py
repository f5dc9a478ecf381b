"""Reads on e-services: the public catalogue and the goal metric of published services."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

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
    """The e-service published under ``slug`` now (or at ``at``), attached to the session.

    Lookups for "now" are served from a per-process cache for ``ESERVICE_CACHE_SECONDS``
    (default 5; 0 turns it off): every public submission starts with this lookup, and the
    definition changes rarely. Publishing, retiring or editing in this process clears it;
    other processes see the change within those seconds. The dates are checked on every call.
    """
    ttl = float(current_app.config.get("ESERVICE_CACHE_SECONDS", 5) or 0)
    if at is not None or ttl <= 0:
        return _load_published(slug, at or utcnow())
    now = utcnow()
    key = (id(current_app._get_current_object()), slug)  # type: ignore[attr-defined]
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is None or hit[0] < time.monotonic() or hit[1] != _CACHE_GENERATION[0]:
        cached = _load_any(slug)
        hit = (time.monotonic() + ttl, _CACHE_GENERATION[0], cached)
        with _CACHE_LOCK:
            _CACHE[key] = hit
    cached = hit[2]
    if cached is None or not _is_published(cached, now):
        return None
    # A persistent copy in this session, without a SELECT; the cached instance stays detached
    # and is never modified, so threads can share it.
    return db.session.merge(cached, load=False)


def invalidate_eservice_cache() -> None:
    """Forget cached e-services in this process (after publish, retire or an edit): now, and
    again once the change commits, so a lookup in between cannot keep the old row."""
    _forget()
    db.session().after_commit(_forget)


def _forget() -> None:
    with _CACHE_LOCK:
        _CACHE_GENERATION[0] += 1
        _CACHE.clear()


_CACHE: dict[tuple[int, str], tuple[float, int, EService | None]] = {}
_CACHE_GENERATION = [0]
_CACHE_LOCK = threading.Lock()


def _is_published(eservice: EService, at: datetime) -> bool:
    return (
        eservice.published_at is not None
        and eservice.published_at <= at
        and (eservice.retired_at is None or eservice.retired_at > at)
    )


def _load_published(slug: str, at: datetime) -> EService | None:
    return db.session.execute(
        sa.select(EService).where(EService.slug == slug, published_clause(at))
    ).scalar_one_or_none()


def _load_any(slug: str) -> EService | None:
    """The e-service with its unit (joined), published or not (the dates are checked on each
    call), loaded in a session of its own on the request's connection, so it comes back
    detached and the request's own instances are never touched."""
    with Session(bind=db.session.connection()) as session:
        stmt = sa.select(EService).where(EService.slug == slug)
        return session.execute(stmt).scalar_one_or_none()


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
