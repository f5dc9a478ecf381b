"""``GET|POST /webhooks/x``: the CRC check and signed Account Activity deliveries.

Deliveries are registered whole, committed and processed by a job; X expects an answer
within seconds.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, jsonify, request

from caseflow.extensions import csrf, db
from intake.channels.meta.registration import register_delivery
from intake.channels.x.verify import SIGNATURE_HEADER, crc_response, signature_valid

log = logging.getLogger(__name__)
bp = Blueprint("x_webhook", __name__)
csrf.exempt(bp)
CHANNEL = "x"


def _secret() -> str:
    secret = current_app.config.get("X_CONSUMER_SECRET")
    if not secret:
        abort(404)
    return str(secret)


@bp.get("/webhooks/x")
def crc() -> Response:
    secret = _secret()
    token = request.args.get("crc_token")
    if not token:
        abort(400, "crc_token is required")
    return jsonify(crc_response(token, secret))


@bp.post("/webhooks/x")
def deliver() -> tuple[str, int]:
    secret = _secret()
    raw = request.get_data(cache=False)
    header = request.headers.get(SIGNATURE_HEADER)
    if not header:
        log.warning("x webhook refused: no %s header (%d bytes)", SIGNATURE_HEADER, len(raw))
        abort(401)
    if not signature_valid(raw, header, secret):
        log.warning("x webhook refused: signature mismatch (%d bytes)", len(raw))
        abort(403)
    headers = {
        k: request.headers[k] for k in ("Content-Type", SIGNATURE_HEADER) if k in request.headers
    }
    register_delivery(CHANNEL, raw, headers)
    db.session.commit()
    return "", 200
