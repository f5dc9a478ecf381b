"""The visit beacon: ``POST /api/v1/visits`` (fetch/sendBeacon) and an image pixel.

No cookie is set or read, no IP address is stored, and only configured origins
(``CASEFLOW_VISIT_ORIGINS``) may count; the response is the same whether a view was counted or
not, so the beacon tells a caller nothing about other visitors.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, current_app, request

from caseflow.errors import Forbidden
from caseflow.extensions import csrf, db, limiter
from caseflow.usage.visits import allowed_origins, count_visit, origin_of

bp = Blueprint("visits", __name__, url_prefix="/api/v1/visits")
csrf.exempt(bp)

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def visit_limit() -> str:
    return str(current_app.config.get("VISIT_RATE_LIMIT") or "60 per minute")


def _allowed_origin() -> str | None:
    """The caller's origin if it is configured; the Origin header wins over the Referer."""
    origin = origin_of(request.headers.get("Origin")) or origin_of(request.referrer)
    allowed = allowed_origins(current_app.config.get("VISIT_ORIGINS"))
    return origin if origin and origin in allowed else None


def _cors(response: Response, origin: str) -> Response:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    return response


def _count() -> None:
    count_visit(request.remote_addr, request.headers.get("User-Agent"))
    db.session.commit()


@bp.route("", methods=["OPTIONS"])
@limiter.exempt
def preflight() -> Response:
    origin = _allowed_origin()
    if origin is None:
        raise Forbidden("Okänt ursprung. / Origin not allowed.")
    response = _cors(Response(status=204), origin)
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.route("", methods=["POST"])
@limiter.limit(visit_limit)
def beacon() -> Response:
    """Count a page view from an allowed origin; the body is ignored (no URL is kept)."""
    origin = _allowed_origin()
    if origin is None:
        raise Forbidden("Okänt ursprung. / Origin not allowed.")
    _count()
    return _cors(Response(status=204), origin)


@bp.route("/pixel.gif", methods=["GET"])
@limiter.limit(visit_limit)
def pixel() -> Response:
    """The same count for pages that cannot run JavaScript (``<img src=...>``)."""
    if _allowed_origin() is not None:
        _count()
    response = Response(PIXEL, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response
