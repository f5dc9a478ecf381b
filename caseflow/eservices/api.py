"""Admin API for e-services: ``/api/v1/eservices`` (admin role)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth.access import require_role
from caseflow.enums import Role
from caseflow.errors import NotFound
from caseflow.eservices import queries, services
from caseflow.eservices.models import EService
from caseflow.eservices.schemas import DatedActionSchema, EServiceCreateSchema, EServiceSchema
from caseflow.extensions import csrf, db

blp = Blueprint(
    "eservices_api", __name__, url_prefix="/api/v1/eservices", description="E-services (admin)"
)
csrf.exempt(blp)


def _get(slug: str) -> EService:
    eservice = queries.eservice_by_slug(slug)
    if eservice is None:
        raise NotFound("E-tjänsten finns inte.")
    return eservice


@blp.route("", methods=["GET"])
@require_role(Role.ADMIN)
@blp.response(200, EServiceSchema(many=True))
def list_eservices() -> list[EService]:
    """Every e-service, published or not."""
    return queries.all_eservices()


@blp.route("", methods=["POST"])
@require_role(Role.ADMIN)
@blp.arguments(EServiceCreateSchema)
@blp.response(201, EServiceSchema)
def create(data: dict[str, Any]) -> EService:
    """Create an unpublished e-service with its form definition."""
    form = data.pop("form")
    eservice = services.create_eservice(
        actor=current_user, unit_prefix=data.pop("unit"), form=form, **data
    )
    db.session.commit()
    return eservice


@blp.route("/<slug>", methods=["GET"])
@require_role(Role.ADMIN)
@blp.response(200, EServiceSchema)
def get(slug: str) -> EService:
    return _get(slug)


@blp.route("/<slug>/publish", methods=["POST"])
@require_role(Role.ADMIN)
@blp.arguments(DatedActionSchema)
@blp.response(200, EServiceSchema)
def publish(data: dict[str, Any], slug: str) -> EService:
    """Publish now, or from ``at``."""
    eservice = services.publish_eservice(_get(slug), actor=current_user, at=data.get("at"))
    db.session.commit()
    return eservice


@blp.route("/<slug>/retire", methods=["POST"])
@require_role(Role.ADMIN)
@blp.arguments(DatedActionSchema)
@blp.response(200, EServiceSchema)
def retire(data: dict[str, Any], slug: str) -> EService:
    """Retire (avpublicera) now, or from ``at``."""
    eservice = services.retire_eservice(_get(slug), actor=current_user, at=data.get("at"))
    db.session.commit()
    return eservice
