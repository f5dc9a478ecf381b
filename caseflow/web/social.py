"""The social inbox page: triage (register as case, attach, reply, dismiss, moderate) and the
supervision figures per channel. Calls ``caseflow.social`` services; owns no social logic."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.access import ANY_STAFF, case_for, require_role, visible_units
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.errors import DomainError, ValidationFailed
from caseflow.eservices.models import EService
from caseflow.eservices.queries import published_eservices
from caseflow.extensions import db
from caseflow.social import queries, services
from caseflow.social.models import ItemStatus, ModerationKind, ModerationReason, SocialItem
from caseflow.units.models import Unit

bp = Blueprint("web_social", __name__, url_prefix="/social")

STATUS_CHOICES = ["new", "all", *[s.value for s in ItemStatus if s != ItemStatus.NEW]]


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _page(errors: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    user = _user()
    wanted = request.args.get("status", "new")
    wanted = wanted if wanted in STATUS_CHOICES else "new"
    channel = request.args.get("channel") or None
    items, total = queries.inbox(
        user,
        channel=channel,
        status=None if wanted == "all" else wanted,
        q=request.args.get("q") or None,
        limit=50,
    )
    case_ids = {i.case_id for i in items if i.case_id}
    references = (
        dict(
            db.session.execute(
                sa.select(Case.id, Case.reference).where(Case.id.in_(case_ids))
            ).all()
        )
        if case_ids
        else {}
    )
    return render_template(
        "web/social.html",
        items=items,
        total=total,
        references=references,
        supervision=queries.supervision(),
        status=wanted,
        statuses=STATUS_CHOICES,
        units=visible_units(user),
        eservices=published_eservices(),
        reasons=[r.value for r in ModerationReason],
        kinds=[k.value for k in ModerationKind],
        errors=errors or {},
    ), status


@bp.route("")
@require_role(*ANY_STAFF)
def inbox() -> tuple[str, int]:
    return _page()


def _act(item_id: int, action: Any, success: str) -> tuple[str, int] | Response:
    user = _user()
    try:
        with db.session.begin_nested():
            item = queries.item_for(user, item_id, for_update=True)
            result = action(item, user)
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _page({"_message": exc.message, **exc.errors}, exc.status)
    db.session.commit()
    flash(success if not callable(success) else success(result), "success")
    return redirect(url_for("web_social.inbox"))


@bp.route("/<int:item_id>/register", methods=["POST"])
@require_role(*ANY_STAFF)
def register(item_id: int) -> tuple[str, int] | Response:
    def action(item: SocialItem, user: User) -> Case:
        eservice = unit = None
        if request.form.get("eservice"):
            eservice = db.session.execute(
                sa.select(EService).where(EService.slug == request.form["eservice"])
            ).scalar_one_or_none()
            if eservice is None:
                raise ValidationFailed("Okänd e-tjänst.", {"eservice": ["Finns inte."]})
        if request.form.get("unit"):
            unit = db.session.execute(
                sa.select(Unit).where(Unit.prefix == request.form["unit"])
            ).scalar_one_or_none()
            if unit is None:
                raise ValidationFailed("Okänd enhet.", {"unit": ["Finns inte."]})
        return services.register_item(
            item,
            actor=user,
            eservice=eservice,
            unit=unit,
            title=(request.form.get("title") or "").strip() or None,
        )

    return _act(
        item_id, action, lambda case: _("Registrerat som ärende %(ref)s.", ref=case.reference)
    )


@bp.route("/<int:item_id>/attach", methods=["POST"])
@require_role(*ANY_STAFF)
def attach(item_id: int) -> tuple[str, int] | Response:
    def action(item: SocialItem, user: User) -> Any:
        reference = (request.form.get("case") or "").strip()
        try:
            case = case_for(user, reference)
        except DomainError:
            raise ValidationFailed("Ärendet finns inte.", {"case": ["Finns inte."]}) from None
        return services.attach_item(item, actor=user, case=case)

    return _act(item_id, action, _("Inlägget lades till ärendet."))


@bp.route("/<int:item_id>/reply", methods=["POST"])
@require_role(*ANY_STAFF)
def reply(item_id: int) -> tuple[str, int] | Response:
    def action(item: SocialItem, user: User) -> Any:
        return services.reply_to_item(item, actor=user, body=request.form.get("body") or "")

    return _act(item_id, action, _("Svaret skickas."))


@bp.route("/<int:item_id>/dismiss", methods=["POST"])
@require_role(*ANY_STAFF)
def dismiss(item_id: int) -> tuple[str, int] | Response:
    def action(item: SocialItem, user: User) -> Any:
        return services.dismiss_item(item, actor=user, note=request.form.get("note") or None)

    return _act(item_id, action, _("Inlägget avfärdades."))


@bp.route("/<int:item_id>/moderate", methods=["POST"])
@require_role(*ANY_STAFF)
def moderate(item_id: int) -> tuple[str, int] | Response:
    def action(item: SocialItem, user: User) -> Any:
        return services.moderate_item(
            item,
            actor=user,
            reason=request.form.get("reason") or "",
            reason_text=request.form.get("reason_text") or None,
            action=request.form.get("action") or ModerationKind.HIDE,
        )

    return _act(item_id, action, _("Inlägget modererades."))
