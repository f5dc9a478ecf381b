"""JSON submissions: ``POST /api/v1/eservices/<slug>/submissions``."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext
from flask_smorest import Blueprint

from caseflow.enums import Channel
from caseflow.errors import NotFound, ValidationFailed
from caseflow.eservices.queries import published_eservice
from caseflow.extensions import csrf, db, limiter
from intake.channels.webform.submission import form_fields, submit
from intake.channels.webform.views import submission_limit

blp = Blueprint(
    "eservice_submissions",
    __name__,
    url_prefix="/api/v1/eservices",
    description="Submit e-service forms as JSON",
)
csrf.exempt(blp)
MAX_KEY_LENGTH = 255


@blp.route("/<slug>/submissions", methods=["POST"])
@limiter.limit(submission_limit)
def create_submission(slug: str):
    """Submit a form as a JSON object of field values.

    Answers ``201 {"reference", "tracking_url", "received_at", "state", "due_date"}``, or 422
    with per-field errors. Send an ``Idempotency-Key`` header to make retries safe: the same
    key returns the first answer (``Idempotent-Replayed: true``) for 24 hours. File fields are
    only available in the web form.
    """
    eservice = published_eservice(slug)
    if eservice is None:
        raise NotFound(gettext("E-tjänsten finns inte."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(
            gettext("Skicka ett JSON-objekt med fältens värden."),
            {"_body": [gettext("Skicka ett JSON-objekt med fältens värden.")]},
        )
    fields = form_fields(eservice)
    known = {f["name"] for f in fields if f.get("type") != "file"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise ValidationFailed(
            gettext("Formuläret innehåller fel."),
            {name: [gettext("Okänt fält.")] for name in unknown},
        )
    structured = {f["name"] for f in fields if f.get("type") in ("address", "multiselect")}
    wrong = sorted(
        name
        for name, value in body.items()
        if isinstance(value, dict | list) and name not in structured
    )
    if wrong:
        raise ValidationFailed(
            gettext("Formuläret innehåller fel."),
            {
                name: [gettext("Ange ett enkelt värde (text, tal eller sant/falskt).")]
                for name in wrong
            },
        )
    key = (request.headers.get("Idempotency-Key") or "").strip() or None
    if key is not None and len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            gettext("Idempotency-Key är för lång."),
            {"Idempotency-Key": [gettext("Högst 255 tecken.")]},
        )
    result = submit(eservice, body, channel=Channel.API, idempotency_key=key)
    db.session.commit()
    answer = result.answer()
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Location"] = answer["tracking_url"]
    if not result.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response
