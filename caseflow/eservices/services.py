"""Writes on e-services: create, publish and retire, each dated (a goal metric counts them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow.auth.models import User
from caseflow.db import utcnow
from caseflow.errors import Conflict, ValidationFailed
from caseflow.eservices.models import EService
from caseflow.eservices.queries import eservice_by_slug, invalidate_eservice_cache
from caseflow.extensions import db
from caseflow.units.models import Unit


def _workflow_exists(key: str) -> bool:
    from workflows import default_registry

    try:
        default_registry().latest(key)
    except KeyError:
        return False
    return True


def create_eservice(
    *,
    actor: User,
    slug: str,
    title_sv: str,
    title_en: str,
    unit_prefix: str,
    workflow_key: str,
    form: dict[str, Any],
    description_sv: str = "",
    description_en: str = "",
    handling_days: int = 10,
) -> EService:
    """A new, unpublished e-service. The form spec was checked by the API schema."""
    if eservice_by_slug(slug) is not None:
        raise Conflict("Det finns redan en e-tjänst med den adressen.", {"slug": ["Upptagen."]})
    unit = db.session.execute(
        sa.select(Unit).where(Unit.prefix == unit_prefix)
    ).scalar_one_or_none()
    if unit is None:
        raise ValidationFailed("Okänd enhet.", {"unit": ["Okänd enhet."]})
    if not _workflow_exists(workflow_key):
        raise ValidationFailed("Okänt arbetsflöde.", {"workflow_key": ["Okänt arbetsflöde."]})
    eservice = EService(
        slug=slug,
        title_sv=title_sv,
        title_en=title_en,
        description_sv=description_sv,
        description_en=description_en,
        unit=unit,
        workflow_key=workflow_key,
        handling_days=handling_days,
        form=form,
    )
    db.session.add(eservice)
    db.session.flush()
    return eservice


def publish_eservice(eservice: EService, *, actor: User, at: datetime | None = None) -> EService:
    """Publish now or on a given date. A retired e-service stays retired: create a new one,
    so the history of what was published when stays true."""
    if eservice.retired_at is not None:
        raise Conflict("E-tjänsten är avpublicerad och kan inte publiceras igen.")
    eservice.published_at = at or utcnow()
    db.session.flush()
    invalidate_eservice_cache()
    return eservice


def retire_eservice(eservice: EService, *, actor: User, at: datetime | None = None) -> EService:
    """Retire (avpublicera) now or on a given date, never before it was published."""
    if eservice.published_at is None:
        raise Conflict("E-tjänsten är inte publicerad.")
    if eservice.retired_at is not None:
        raise Conflict("E-tjänsten är redan avpublicerad.")
    at = at or utcnow()
    if at < eservice.published_at:
        raise ValidationFailed(
            "Avpubliceringen kan inte ligga före publiceringen.",
            {"at": ["Före publiceringsdatumet."]},
        )
    eservice.retired_at = at
    db.session.flush()
    invalidate_eservice_cache()
    return eservice
