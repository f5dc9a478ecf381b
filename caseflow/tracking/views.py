"""Citizen tracking pages: ``/arende/<token>`` (the token, never the reference, opens it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from caseflow.cases.models import Case
from caseflow.cases.queries import case_by_token
from caseflow.db import utcnow
from caseflow.errors import NotFound, ValidationFailed
from caseflow.eservices.display import init_app as init_display
from caseflow.eservices.fields import clean_form, values_from_form
from caseflow.extensions import db, limiter
from caseflow.timeutil import local_date
from caseflow.tracking import queries
from caseflow.tracking.receipts import is_closed, public_state_label, receipt_for, waits_for_citizen
from caseflow.tracking.services import complement_case

bp = Blueprint("tracking", __name__, url_prefix="/arende")
# Citizen-page template helpers (locale-picked texts, Stockholm times) for every blueprint.
bp.record_once(lambda state: init_display(state.app))
FILES_FIELD = {"name": "bilagor", "type": "file"}
HONEYPOT = "webbadress"


def reply_limit() -> str:
    return str(current_app.config.get("SUBMISSION_RATE_LIMIT") or "20 per minute")


def _case(token: str) -> Case:
    case = case_by_token(token)
    if case is None:
        raise NotFound(gettext("Ärendet finns inte. Kontrollera länken."))
    return case


def _page(case: Case, *, body: str = "", errors: dict[str, Any] | None = None, status: int = 200):
    messages = queries.public_messages(case)
    response = current_app.make_response(
        (
            render_template(
                "tracking/case.html",
                case=case,
                receipt=receipt_for(case),
                state_label=public_state_label(case),
                waiting=waits_for_citizen(case),
                closed=is_closed(case),
                messages=messages,
                attachments=queries.attachment_names([m.id for m in messages]),
                body=body,
                errors=errors or {},
                sent=request.args.get("skickat") == "1",
            ),
            status,
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/<token>")
def case(token: str):
    return _page(_case(token))


@bp.post("/<token>")
@limiter.limit(reply_limit)
def reply(token: str):
    found = _case(token)
    if request.form.get(HONEYPOT):
        abort(400)
    body = (request.form.get("meddelande") or "").strip()
    cleaned, field_errors = clean_form(
        [FILES_FIELD],
        values_from_form([FILES_FIELD], request.form, request.files),
        today=local_date(utcnow()),
    )
    errors = {k: [e.render(gettext)] for k, e in field_errors.items()}
    if not body:
        errors["meddelande"] = [gettext("Skriv ett meddelande.")]
    elif len(body) > 10_000:
        errors["meddelande"] = [gettext("Skriv högst 10 000 tecken.")]
    if errors:
        return _page(found, body=body, errors=errors, status=422)
    try:
        complement_case(found, body, cleaned.get("bilagor", []))
    except ValidationFailed as exc:
        db.session.rollback()
        return _page(found, body=body, errors={"meddelande": [exc.message]}, status=422)
    db.session.commit()
    return redirect(
        url_for("tracking.case", token=token, skickat=1, lang=request.args.get("lang")), code=303
    )
