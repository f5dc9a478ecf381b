"""``GET|POST /webhooks/meta``: one endpoint for the Page, Messenger and Instagram.

POSTs are registered whole (raw bytes, keyed by their SHA-256), committed, and processed by
a job; the answer is a fast 200 because Meta disables webhooks that keep failing.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request

from caseflow.extensions import csrf, db
from intake.channels.meta.registration import register_delivery
from intake.channels.meta.verify import SIGNATURE_HEADER, handshake_ok, signature_valid

log = logging.getLogger(__name__)
bp = Blueprint("meta_webhook", __name__)
csrf.exempt(bp)
CHANNEL = "meta"
KEPT_HEADERS = ("Content-Type", SIGNATURE_HEADER, "X-Hub-Signature")


def configured() -> bool:
    return bool(current_app.config.get("META_APP_SECRET"))


@bp.get("/webhooks/meta")
def handshake() -> Response:
    verify_token = current_app.config.get("META_VERIFY_TOKEN")
    if not configured() or not verify_token:
        abort(404)
    args = request.args
    if not handshake_ok(args.get("hub.mode"), args.get("hub.verify_token"), verify_token):
        log.warning("meta webhook handshake refused: wrong verify token or mode")
        abort(403)
    return Response(args.get("hub.challenge", ""), 200, mimetype="text/plain")


@bp.post("/webhooks/meta")
def deliver() -> tuple[str, int]:
    if not configured():
        abort(404)
    raw = request.get_data(cache=False)
    header = request.headers.get(SIGNATURE_HEADER)
    if not header:
        log.warning("meta webhook refused: no %s header (%d bytes)", SIGNATURE_HEADER, len(raw))
        abort(401)
    if not signature_valid(raw, header, current_app.config["META_APP_SECRET"]):
        log.warning("meta webhook refused: signature mismatch (%d bytes)", len(raw))
        abort(403)
    headers = {k: request.headers[k] for k in KEPT_HEADERS if k in request.headers}
    register_delivery(CHANNEL, raw, headers)
    db.session.commit()
    return "EVENT_RECEIVED", 200
