"""Open311 GeoReport v2 endpoints under ``/open311/v2``."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request

from caseflow.db import utcnow
from caseflow.extensions import csrf, db, limiter
from caseflow.timeutil import to_local
from intake.channels.open311 import catalogue, queries, render
from intake.channels.open311.submission import Open311Error, api_key_valid, submit

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)
FORMATS = ("xml", "json")
SPEC = "http://wiki.open311.org/GeoReport_v2"


@bp.errorhandler(Open311Error)
def _open311_error(error: Open311Error) -> Response:
    db.session.rollback()
    return render.error(
        request.view_args.get("fmt", "json") if request.view_args else "json",
        error.status,
        error.description,
    )


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Open311Error(400, "format must be xml or json")
    jurisdiction = (request.values.get("jurisdiction_id") or "").strip()
    expected = current_app.config.get("OPEN311_JURISDICTION_ID")
    if jurisdiction and expected and jurisdiction != expected:
        raise Open311Error(404, "jurisdiction_id not found")


@bp.get("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    _check(fmt)
    base = current_app.config["BASE_URL"].rstrip("/")
    changeset = to_local(_changeset_at()).strftime("%Y-%m-%d %H:%M")
    payload = {
        "changeset": changeset,
        "contact": current_app.config.get("OPEN311_CONTACT") or f"{base}/",
        "key_service": current_app.config.get("OPEN311_KEY_SERVICE") or f"{base}/",
        "endpoints": [
            {
                "specification": SPEC,
                "url": f"{base}/open311/v2",
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.respond(fmt, "discovery", payload)


def _changeset_at() -> datetime:
    """``CASEFLOW_OPEN311_CHANGESET_AT`` (ISO 8601, from the environment a string), or the
    time this process started serving Open311."""
    configured = current_app.config.get("OPEN311_CHANGESET_AT")
    if isinstance(configured, str) and configured.strip():
        try:
            parsed = datetime.fromisoformat(configured.strip())
        except ValueError:
            raise Open311Error(400, "the endpoint's changeset date is misconfigured") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(configured, datetime):
        return configured
    return current_app.extensions.setdefault("open311_started", utcnow())


@bp.get("/services.<fmt>")
def services(fmt: str) -> Response:
    _check(fmt)
    return render.respond(
        fmt, "services", [catalogue.service(e) for e in catalogue.published_eservices()]
    )


@bp.get("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str) -> Response:
    _check(fmt)
    eservice = catalogue.published_eservice(code)
    if eservice is None:
        raise Open311Error(404, "service_code not found")
    return render.respond(fmt, "service_definition", catalogue.definition(eservice))


@bp.post("/requests.<fmt>")
@limiter.limit("60/minute")
def create_request(fmt: str) -> Response:
    _check(fmt)
    if not api_key_valid(request.form.get("api_key")):
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    code = (request.form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code not provided")
    eservice = catalogue.published_eservice(code)
    if eservice is None:
        raise Open311Error(404, "service_code not found")
    case = submit(request.form, eservice, api_key=request.form["api_key"])
    db.session.commit()
    notice = f"Ärendet har registrerats som {case.reference}."
    return render.respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": case.reference_key,
                "service_notice": notice,
                "account_id": None,
            }
        ],
        status=201,
    )


@bp.get("/requests.<fmt>")
def list_requests(fmt: str) -> Response:
    _check(fmt)
    return render.respond(fmt, "service_requests", queries.find_requests(request.args.to_dict()))


@bp.get("/requests/<service_request_id>.<fmt>")
def get_request(service_request_id: str, fmt: str) -> Response:
    _check(fmt)
    found = queries.find_request(service_request_id)
    if found is None:
        raise Open311Error(404, "service_request_id not found")
    return render.respond(fmt, "service_requests", [found])
