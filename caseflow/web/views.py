"""The caseworker's HTML pages: inbox (with HTMX partials), case page and its actions.

Views are thin: parse, one service call, commit, redirect (or re-render with 422 errors).
Every case is loaded through ``case_for``, so another unit's case is a 404 everywhere.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from caseflow.auth.access import ANY_STAFF, case_for, require_role, visible_units
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.workflow_api import case_transitions
from caseflow.enums import Priority
from caseflow.errors import DomainError, ValidationFailed
from caseflow.extensions import db
from caseflow.messages.services import add_note, post_reply
from caseflow.read_only import read_only
from caseflow.web import choices, services
from caseflow.web.case_view import (
    ACTION_LABELS,
    attachments_of,
    reference_of,
    state_label,
    state_name,
    timeline,
    working_days_left,
)
from caseflow.web.i18n import page_gettext
from caseflow.web.inbox import inbox_page
from caseflow.web.rendering import filters_form, memo_url_for, rows_html
from caseflow.web.schemas import VIEWS, InboxQuerySchema

bp = Blueprint("web", __name__)


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return text


VIEW_LABELS = {
    "mine": N_("Mina ärenden"),
    "queue": N_("Enhetens kö (ej tilldelade)"),
    "units": N_("Alla mina enheter"),
    "overdue": N_("Försenade"),
    "all": N_("Alla synliga"),
}


@functools.cache
def _inbox_query() -> InboxQuerySchema:
    """One schema per process: it keeps no state between loads, and building one per request
    costs more than loading the query with it."""
    return InboxQuerySchema()


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _lang() -> str:
    return str(get_locale() or "sv")


# --- inbox ----------------------------------------------------------------------------------


@bp.route("/")
@require_role(*ANY_STAFF)
def home() -> Response:
    return redirect(url_for("web.inbox"))


@bp.route("/inbox")
@read_only
@require_role(*ANY_STAFF)
def inbox() -> tuple[str, int] | str:
    user = _user()
    try:
        # A plain GET form sends every field, empty ones too: empty means "any".
        given = {k: v for k, v in request.args.items() if v.strip()}
        filters: dict[str, Any] = _inbox_query().load(given)
    except ValidationError as exc:
        filters, errors = {"view": "units", "sort": "newest", "limit": 25}, exc.messages
    else:
        errors = {}
    page = None
    try:
        page = inbox_page(user, filters)
    except ValidationFailed as exc:
        errors = exc.errors
        filters.pop("cursor", None)
        page = inbox_page(user, filters)
    lang = _lang()
    gettext = page_gettext()
    context = {
        **gettext,
        "page": page,
        "filters": filters,
        "errors": errors,
        "views": VIEWS,
        "view_labels": VIEW_LABELS,
        # Row links share one prefix (a reference key is URL-safe): one url_for per page.
        "rows_html": rows_html(
            page.cases,
            lang,
            memo_url_for("web.case_page", reference="-").removesuffix("-"),
            gettext["_"],
        ),
        # Menus, views and forms link to fixed URLs: built once per process.
        "url_for": memo_url_for,
        "args": {k: v for k, v in request.args.items() if k != "cursor" and v},
        "social_new": choices.social_new(user),
        "bulk_transitions": choices.transition_choices(lang),
        "lang": lang,
    }
    if request.headers.get("HX-Request"):
        template = "web/_inbox_results.html"
    else:
        template = "web/inbox.html"
        context["filters_form"] = filters_form(
            filters, visible_units(user), choices.eservice_choices(), lang, gettext
        )
    status = 422 if errors else 200
    return render_template(template, **context), status


@bp.route("/inbox/bulk", methods=["POST"])
@require_role(*ANY_STAFF)
def bulk() -> Response:
    user = _user()
    references = request.form.getlist("cases")
    action = request.form.get("action")
    if not references:
        flash(_("Välj minst ett ärende."), "error")
        return redirect(request.form.get("back") or url_for("web.inbox"))
    if action == "assign":
        raw = (request.form.get("assignee_user") or "").strip() or (
            request.form.get("assignee_id") or ""
        )
        assignee = (
            user if raw == "me" else (services.user_by_id(int(raw)) if raw.isdigit() else None)
        )
        if raw not in ("", "none") and assignee is None:
            raise ValidationFailed("Okänd användare.", {"assignee_id": ["Välj en handläggare."]})
        result = services.bulk_assign(user, references, assignee)
    elif action == "transition":
        name = (request.form.get("transition") or "").strip()
        if not name:
            raise ValidationFailed("Ange en statusändring.", {"transition": ["Obligatoriskt."]})
        result = services.bulk_transition(user, references, name, request.form.get("note"))
    else:
        raise ValidationFailed("Okänd åtgärd.", {"action": ["assign eller transition."]})
    db.session.commit()
    if result.done:
        flash(
            _("Klart för %(n)s ärenden: %(refs)s", n=len(result.done), refs=", ".join(result.done)),
            "success",
        )
    for reference, message in result.failed.items():
        flash(_("%(ref)s: %(msg)s", ref=reference, msg=message), "error")
    return redirect(_safe_back(request.form.get("back")))


def _safe_back(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.inbox")


# --- case page ------------------------------------------------------------------------------


def render_case(
    case: Case,
    *,
    status: int = 200,
    errors: dict[str, Any] | None = None,
    reveal: bool = False,
    form: dict[str, str] | None = None,
) -> tuple[str, int]:
    user = _user()
    return render_template(
        "web/case.html",
        case=case,
        state_label=state_label(case, _lang()),
        days_left=working_days_left(case),
        transitions=case_transitions(case, user)["transitions"],
        timeline=timeline(case),
        attachments=attachments_of(case),
        contact=services.citizen_contact(case, user, reveal=reveal),
        assignable=services.assignable_users(case),
        assignee_name=_name_of(case.assignee_id),
        duplicate_of=reference_of(case.duplicate_of_id),
        priorities=[p.value for p in Priority],
        errors=errors or {},
        form=form or {},
        lang=_lang(),
        action_labels=ACTION_LABELS,
        state_name=lambda state: state_name(case, state, _lang()),
    ), status


def _name_of(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.name if user else None


@bp.route("/cases/<reference>")
@require_role(*ANY_STAFF)
def case_page(reference: str) -> tuple[str, int]:
    return render_case(case_for(_user(), reference))


def _act(reference: str, action: Any, success: str) -> tuple[str, int] | Response:
    """Run one action on a case: commit and redirect, or re-render the page with its errors."""
    user = _user()
    case = case_for(user, reference)
    try:
        with db.session.begin_nested():  # a failed action leaves no partial writes
            action(case, user)
    except DomainError as exc:
        if exc.status == 404:
            raise
        case = case_for(user, reference)
        return render_case(
            case,
            status=exc.status,
            errors={**exc.errors, "_message": exc.message},
            form=request.form.to_dict(),
        )
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("web.case_page", reference=case.reference_key))


@bp.route("/cases/<reference>/transition", methods=["POST"])
@require_role(*ANY_STAFF)
def case_transition(reference: str) -> tuple[str, int] | Response:
    from caseflow.cases.transitions import transition_case

    def action(case: Case, user: User) -> None:
        name = request.form.get("transition") or ""
        transition_case(
            case,
            name,
            actor=user,
            note=request.form.get("note") or None,
            message=request.form.get("message") or None,
        )

    return _act(reference, action, _("Status ändrad."))


@bp.route("/cases/<reference>/reply", methods=["POST"])
@require_role(*ANY_STAFF)
def case_reply(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        post_reply(case, request.form.get("body") or "", actor=user)

    return _act(reference, action, _("Svaret skickas."))


@bp.route("/cases/<reference>/note", methods=["POST"])
@require_role(*ANY_STAFF)
def case_note(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        add_note(case, request.form.get("body") or "", actor=user)

    return _act(reference, action, _("Anteckningen sparades."))


@bp.route("/cases/<reference>/assign", methods=["POST"])
@require_role(*ANY_STAFF)
def case_assign(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        raw = request.form.get("assignee_id") or ""
        if raw == "me":
            assignee: User | None = user
        elif raw in ("", "none"):
            assignee = None
        elif raw.isdigit():
            assignee = services.user_by_id(int(raw))
        else:
            raise ValidationFailed("Okänd användare.", {"assignee_id": ["Välj en handläggare."]})
        services.assign_case(case, assignee, actor=user)

    return _act(reference, action, _("Ansvarig handläggare uppdaterad."))


@bp.route("/cases/<reference>/priority", methods=["POST"])
@require_role(*ANY_STAFF)
def case_priority(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        services.set_priority(case, request.form.get("priority") or "", actor=user)

    return _act(reference, action, _("Prioriteten ändrad."))


@bp.route("/cases/<reference>/duplicate", methods=["POST"])
@require_role(*ANY_STAFF)
def case_duplicate(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        main = (request.form.get("main_reference") or "").strip()
        if not main:
            raise ValidationFailed("Ange huvudärendet.", {"main_reference": ["Obligatoriskt."]})
        try:
            services.mark_duplicate(case, main, actor=user)
        except DomainError as exc:
            if exc.status == 404:
                raise ValidationFailed(exc.message, {"main_reference": [exc.message]}) from None
            raise

    return _act(reference, action, _("Ärendet markerades som dubblett."))


@bp.route("/cases/<reference>/attachments", methods=["POST"])
@require_role(*ANY_STAFF)
def case_attachment(reference: str) -> tuple[str, int] | Response:
    def action(case: Case, user: User) -> None:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationFailed("Välj en fil.", {"file": ["Välj en fil."]})
        services.add_attachment(case, upload.filename, upload.read(), actor=user)

    return _act(reference, action, _("Filen bifogades."))


@bp.route("/cases/<reference>/attachments/<int:attachment_id>")
@require_role(*ANY_STAFF)
def case_attachment_download(reference: str, attachment_id: int) -> Response:
    case = case_for(_user(), reference)
    attachment = services.attachment_of(case, attachment_id)
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], attachment.storage_key)
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
    )


@bp.route("/cases/<reference>/contact", methods=["POST"])
@require_role(*ANY_STAFF)
def case_contact(reference: str) -> tuple[str, int]:
    """Reveal protected contact details (audited) for roles allowed to see them."""
    case = case_for(_user(), reference)
    page = render_case(case, reveal=True)
    db.session.commit()
    return page
