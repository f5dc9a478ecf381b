"""JSON API of the social inbox: ``/api/v1/social`` for signed-in staff.

Registrars and admins see every item; caseworkers and unit leads the items routed to their
units. An item the actor may not see answers 404.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth.access import ANY_STAFF, case_for, require_role
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.errors import NotFound, ValidationFailed
from caseflow.eservices.models import EService
from caseflow.extensions import csrf, db
from caseflow.social import queries, services
from caseflow.social.models import SocialItem
from caseflow.social.schemas import (
    AttachSchema,
    DismissSchema,
    InboxPageSchema,
    InboxQuerySchema,
    ModerateSchema,
    RegisterSchema,
    ReplySchema,
    SupervisionSchema,
    TriageResultSchema,
)
from caseflow.units.models import Unit

blp = Blueprint(
    "social_api",
    __name__,
    url_prefix="/api/v1/social",
    description="Social media inbox, triage and moderation / Sociala medier",
)
csrf.exempt(blp)


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def item_document(item: SocialItem) -> dict[str, Any]:
    case = db.session.get(Case, item.case_id) if item.case_id else None
    return {
        **{k: getattr(item, k) for k in SocialItemFields},
        "case_reference": case.reference if case else None,
    }


SocialItemFields = (
    "id",
    "channel",
    "kind",
    "external_id",
    "thread_key",
    "author_name",
    "text",
    "posted_at",
    "received_at",
    "status",
    "moderation",
    "case_id",
    "message_id",
    "unit_id",
    "reviewed_at",
    "edited_at",
    "removed_on_platform_at",
)


@blp.route("/inbox", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.arguments(InboxQuerySchema, location="query")
@blp.response(200, InboxPageSchema)
def list_inbox(args: dict[str, Any]) -> dict[str, Any]:
    """Items newest first; ``status`` defaults to ``new`` (``all`` for every status)."""
    status = None if args["status"] == "all" else args["status"]
    items, total = queries.inbox(
        _user(),
        channel=args.get("channel"),
        status=status,
        q=args.get("q"),
        limit=args["limit"],
        offset=args["offset"],
    )
    return {
        "items": [item_document(i) for i in items],
        "total": total,
        "limit": args["limit"],
        "offset": args["offset"],
    }


@blp.route("/supervision", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.response(200, SupervisionSchema(many=True))
def supervision() -> list[Any]:
    """Per channel: unreviewed items and the time of the last review (BBS-lagen)."""
    return queries.supervision()


def _result(item: SocialItem, **extra: Any) -> dict[str, Any]:
    db.session.refresh(item)
    document = item_document(item)
    return {"item": document, "case_reference": document["case_reference"], **extra}


@blp.route("/inbox/<int:item_id>/register", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(RegisterSchema)
@blp.response(201, TriageResultSchema)
def register(data: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Open a case (e-service slug or unit prefix); the item is its first message."""
    item = queries.item_for(_user(), item_id, for_update=True)
    eservice = unit = None
    if data.get("eservice"):
        eservice = db.session.execute(
            sa.select(EService).where(EService.slug == data["eservice"])
        ).scalar_one_or_none()
        if eservice is None:
            raise ValidationFailed("Okänd e-tjänst.", {"eservice": ["Finns inte."]})
    if data.get("unit"):
        unit = db.session.execute(
            sa.select(Unit).where(Unit.prefix == data["unit"])
        ).scalar_one_or_none()
        if unit is None:
            raise ValidationFailed("Okänd enhet.", {"unit": ["Finns inte."]})
    case = services.register_item(
        item, actor=_user(), eservice=eservice, unit=unit, title=data.get("title")
    )
    db.session.commit()
    return _result(item, message_id=item.message_id, case_reference=case.reference)


@blp.route("/inbox/<int:item_id>/attach", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(AttachSchema)
@blp.response(200, TriageResultSchema)
def attach(data: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Add the item to an existing case as an inbound message."""
    user = _user()
    item = queries.item_for(user, item_id, for_update=True)
    try:
        case = case_for(user, data["case"])
    except NotFound as exc:
        raise ValidationFailed("Ärendet finns inte.", {"case": ["Finns inte."]}) from exc
    message = services.attach_item(item, actor=user, case=case)
    db.session.commit()
    return _result(item, message_id=message.id)


@blp.route("/inbox/<int:item_id>/reply", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(ReplySchema)
@blp.response(202, TriageResultSchema)
def reply(data: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Answer through the item's channel (sent by a job; see ``delivery_status``)."""
    item = queries.item_for(_user(), item_id, for_update=True)
    message = services.reply_to_item(item, actor=_user(), body=data["body"])
    db.session.commit()
    db.session.refresh(message)
    return _result(item, message_id=message.id, delivery_status=message.delivery_status)


@blp.route("/inbox/<int:item_id>/dismiss", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(DismissSchema)
@blp.response(200, TriageResultSchema)
def dismiss(data: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Nothing to act on; the item stays in the record as reviewed."""
    item = queries.item_for(_user(), item_id, for_update=True)
    services.dismiss_item(item, actor=_user(), note=data.get("note"))
    db.session.commit()
    return _result(item)


@blp.route("/inbox/<int:item_id>/moderate", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(ModerateSchema)
@blp.response(200, TriageResultSchema)
def moderate(data: dict[str, Any], item_id: int) -> dict[str, Any]:
    """Hide or remove under BBS-lagen: reason code required (``other`` needs text)."""
    item = queries.item_for(_user(), item_id, for_update=True)
    record = services.moderate_item(
        item,
        actor=_user(),
        reason=data["reason"],
        reason_text=data.get("reason_text"),
        action=data["action"],
    )
    db.session.commit()
    db.session.refresh(record)
    return _result(item, moderation=record)
