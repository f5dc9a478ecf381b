"""Administration pages (admin role): users with units and roles, units, e-services, workflows."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from caseflow.auth.access import require_role
from caseflow.auth.models import User
from caseflow.auth.services import create_user
from caseflow.enums import Role
from caseflow.errors import DomainError, NotFound, ValidationFailed
from caseflow.eservices.queries import all_eservices, eservice_by_slug
from caseflow.eservices.schemas import EServiceCreateSchema
from caseflow.eservices.services import create_eservice, publish_eservice, retire_eservice
from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.units.services import create_unit
from workflows import default_registry
from workflows.render import to_mermaid

bp = Blueprint("web_admin", __name__, url_prefix="/admin")

DEFAULT_FORM = {
    "fields": [
        {
            "name": "beskrivning",
            "type": "textarea",
            "required": True,
            "label_sv": "Beskriv ärendet",
            "label_en": "Describe your errand",
        }
    ]
}


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _units() -> list[Unit]:
    return list(db.session.execute(sa.select(Unit).order_by(Unit.prefix)).scalars())


@bp.route("/")
@require_role(Role.ADMIN)
def index() -> str:
    return render_template("web/admin/index.html")


# --- users ------------------------------------------------------------------------------------


def _users_page(errors: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    users = list(db.session.execute(sa.select(User).order_by(User.email)).scalars())
    return render_template(
        "web/admin/users.html",
        users=users,
        units=_units(),
        roles=[r.value for r in Role],
        errors=errors or {},
        form=request.form.to_dict() if request.method == "POST" else {},
    ), status


@bp.route("/users", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def users() -> tuple[str, int] | Response:
    if request.method == "GET":
        return _users_page()
    try:
        with db.session.begin_nested():
            create_user(
                email=request.form.get("email") or "",
                password=request.form.get("password") or "",
                role=request.form.get("role") or "",
                name=request.form.get("name") or None,
                unit_prefixes=request.form.getlist("units"),
            )
    except DomainError as exc:
        return _users_page(exc.errors, exc.status)
    db.session.commit()
    flash(_("Användaren skapades."), "success")
    return redirect(url_for("web_admin.users"))


@bp.route("/users/<int:user_id>", methods=["POST"])
@require_role(Role.ADMIN)
def update_user(user_id: int) -> tuple[str, int] | Response:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Användaren finns inte.")
    role = request.form.get("role") or user.role
    if role not in {r.value for r in Role}:
        return _users_page({"role": ["Okänd roll."]}, 422)
    prefixes = set(request.form.getlist("units"))
    units = [u for u in _units() if u.prefix in prefixes]
    if user.id == _actor().id and role != Role.ADMIN:
        return _users_page({"role": ["Du kan inte ta bort din egen administratörsroll."]}, 422)
    user.role = role
    user.units = units
    user.active = request.form.get("active") == "on"
    db.session.commit()
    flash(_("Användaren %(email)s uppdaterades.", email=user.email), "success")
    return redirect(url_for("web_admin.users"))


# --- units ------------------------------------------------------------------------------------


@bp.route("/units", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def units() -> tuple[str, int] | Response:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            name = (request.form.get("name") or "").strip()
            if not name:
                raise ValidationFailed("Ange ett namn.", {"name": ["Obligatoriskt."]})
            with db.session.begin_nested():
                create_unit(
                    name=name,
                    prefix=request.form.get("prefix") or "",
                    reference_pattern=(request.form.get("reference_pattern") or None),
                )
            db.session.commit()
            flash(_("Enheten skapades."), "success")
            return redirect(url_for("web_admin.units"))
        except DomainError as exc:
            errors = exc.errors
    return render_template("web/admin/units.html", units=_units(), errors=errors), (
        422 if errors else 200
    )


# --- e-services -------------------------------------------------------------------------------


@bp.route("/eservices", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def eservices() -> tuple[str, int] | Response:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        raw = request.form.to_dict()
        try:
            raw["form"] = json.loads(raw.get("form") or "{}")
            data = EServiceCreateSchema().load(raw)
            prefix = data.pop("unit")
            with db.session.begin_nested():
                create_eservice(actor=_actor(), unit_prefix=prefix, **data)
            db.session.commit()
            flash(_("E-tjänsten skapades (opublicerad)."), "success")
            return redirect(url_for("web_admin.eservices"))
        except json.JSONDecodeError:
            errors = {"form": ["Formuläret måste vara giltig JSON."]}
        except ValidationError as exc:
            errors = exc.messages  # type: ignore[assignment]
        except DomainError as exc:
            errors = exc.errors
    return render_template(
        "web/admin/eservices.html",
        eservices=all_eservices(),
        units=_units(),
        workflows=list(default_registry()),
        errors=errors,
        default_form=json.dumps(DEFAULT_FORM, ensure_ascii=False, indent=1),
        form=request.form.to_dict(),
    ), (422 if errors else 200)


@bp.route("/eservices/<slug>/<action>", methods=["POST"])
@require_role(Role.ADMIN)
def eservice_action(slug: str, action: str) -> Response:
    eservice = eservice_by_slug(slug)
    if eservice is None or action not in ("publish", "retire"):
        raise NotFound("E-tjänsten finns inte.")
    if action == "publish":
        publish_eservice(eservice, actor=_actor())
    else:
        retire_eservice(eservice, actor=_actor())
    db.session.commit()
    flash(_("E-tjänsten %(slug)s uppdaterades.", slug=slug), "success")
    return redirect(url_for("web_admin.eservices"))


# --- workflows --------------------------------------------------------------------------------


@bp.route("/workflows")
@require_role(Role.ADMIN)
def workflows() -> str:
    registry = default_registry()
    definitions = [registry.latest(key) for key in registry]
    return render_template(
        "web/admin/workflows.html",
        definitions=[(d, to_mermaid(d)) for d in definitions],
    )


# --- social routing rules ---------------------------------------------------------------------


@bp.route("/routing-rules", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def routing_rules() -> tuple[str, int] | Response:
    """Keyword rules of the social area that register matching items in a unit."""
    from caseflow.eservices.models import EService
    from caseflow.social.models import RoutingRule
    from caseflow.social.queries import SOCIAL_CHANNELS
    from caseflow.social.services import create_rule

    errors: dict[str, Any] = {}
    if request.method == "POST":
        form = request.form
        try:
            unit = db.session.execute(
                sa.select(Unit).where(Unit.prefix == (form.get("unit") or ""))
            ).scalar_one_or_none()
            if unit is None:
                raise ValidationFailed("Välj en enhet.", {"unit": ["Välj en enhet."]})
            eservice = None
            if form.get("eservice"):
                eservice = eservice_by_slug(form["eservice"])
                if eservice is None:
                    raise ValidationFailed("Okänd e-tjänst.", {"eservice": ["Finns inte."]})
            priority = form.get("priority") or "100"
            if not priority.isdigit():
                raise ValidationFailed("Ogiltig prioritet.", {"priority": ["Ange ett heltal."]})
            channel = form.get("channel") or None
            if channel and channel not in SOCIAL_CHANNELS:
                raise ValidationFailed("Okänd kanal.", {"channel": ["Okänd kanal."]})
            with db.session.begin_nested():
                create_rule(
                    name=form.get("name") or "",
                    phrases=(form.get("phrases") or "").splitlines(),
                    unit=unit,
                    eservice=eservice,
                    priority=int(priority),
                    channel=channel,
                )
            db.session.commit()
            flash(_("Regeln skapades."), "success")
            return redirect(url_for("web_admin.routing_rules"))
        except DomainError as exc:
            errors = exc.errors
    rules = list(
        db.session.execute(
            sa.select(RoutingRule).order_by(RoutingRule.priority, RoutingRule.id)
        ).scalars()
    )
    names = dict(db.session.execute(sa.select(Unit.id, Unit.prefix)).all())
    slugs = dict(db.session.execute(sa.select(EService.id, EService.slug)).all())
    return render_template(
        "web/admin/routing_rules.html",
        rules=rules,
        units=_units(),
        unit_prefix=names,
        eservice_slug=slugs,
        eservices=all_eservices(),
        channels=SOCIAL_CHANNELS,
        errors=errors,
    ), (422 if errors else 200)
