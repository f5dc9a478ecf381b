"""Public e-service pages: catalogue, form, submission and receipt (``/e-tjanster``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from caseflow.cases.queries import case_by_token
from caseflow.enums import Channel
from caseflow.errors import NotFound
from caseflow.eservices.fields import redisplay_values, values_from_form
from caseflow.eservices.models import EService
from caseflow.eservices.queries import published_eservice, published_eservices
from caseflow.extensions import db, limiter
from caseflow.tracking.receipts import receipt_for
from caseflow.usage.services import record_usage
from intake.channels.webform.submission import SubmissionInvalid, form_fields, submit

bp = Blueprint("eservices", __name__, url_prefix="/e-tjanster")
#: The honeypot: hidden from people (and assistive technology), filled in by naive bots.
HONEYPOT = "webbadress"


def submission_limit() -> str:
    return str(current_app.config.get("SUBMISSION_RATE_LIMIT") or "20 per minute")


def _eservice(slug: str) -> EService:
    eservice = published_eservice(slug)
    if eservice is None:
        raise NotFound(gettext("E-tjänsten finns inte."))
    return eservice


def _no_referrer(response: Any) -> Any:
    """Pages with a tracking token never pass it on in a Referer header."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
def catalogue():
    return render_template("eservices/catalogue.html", eservices=published_eservices())


@bp.get("/<slug>")
def form(slug: str):
    eservice = _eservice(slug)
    record_usage(
        "eservice_view", eservice_id=eservice.id, channel=Channel.WEBFORM, unit_id=eservice.unit_id
    )
    db.session.commit()
    return render_template(
        "eservices/form.html",
        eservice=eservice,
        fields=form_fields(eservice),
        values={},
        errors={},
    )


@bp.post("/<slug>")
@limiter.limit(submission_limit)
def submit_form(slug: str):
    eservice = _eservice(slug)
    if request.form.get(HONEYPOT):
        abort(400)
    fields = form_fields(eservice)
    try:
        result = submit(
            eservice,
            values_from_form(fields, request.form, request.files),
            channel=Channel.WEBFORM,
        )
    except SubmissionInvalid as exc:
        db.session.rollback()
        return render_template(
            "eservices/form.html",
            eservice=eservice,
            fields=fields,
            values=redisplay_values(fields, request.form),
            errors=exc.errors,
        ), 422
    token = result.case.tracking_token  # read before the commit expires the case
    db.session.commit()
    lang = request.args.get("lang")
    return redirect(
        url_for("eservices.receipt", slug=slug, token=token, lang=lang),
        code=303,
    )


@bp.get("/<slug>/kvittens/<token>")
def receipt(slug: str, token: str):
    case = case_by_token(token)
    if case is None or case.eservice is None or case.eservice.slug != slug:
        raise NotFound(gettext("Kvittensen finns inte."))
    response = current_app.make_response(
        render_template(
            "eservices/receipt.html",
            receipt=receipt_for(case),
            case=case,
            mailed=bool(case.citizen and case.citizen.email),
        )
    )
    return _no_referrer(response)
