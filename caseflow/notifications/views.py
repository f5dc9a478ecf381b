"""The outbox, for admins: every mail Caseflow sent or stored, newest first."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template, request

from caseflow.auth.access import require_role
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.notifications.models import OutboxMail
from caseflow.timeutil import to_local

bp = Blueprint("outbox", __name__)
PAGE_SIZE = 100


def _mails() -> list[OutboxMail]:
    stmt = sa.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(PAGE_SIZE)
    status = request.args.get("status")
    if status:
        stmt = stmt.where(OutboxMail.status == status)
    before = request.args.get("before", type=int)
    if before:
        stmt = stmt.where(OutboxMail.id < before)
    return list(db.session.execute(stmt).scalars())


@bp.get("/admin/utkorg")
@require_role(Role.ADMIN)
def outbox_page():
    return render_template("notifications/outbox.html", mails=_mails(), to_local=to_local)


@bp.get("/api/v1/outbox")
@require_role(Role.ADMIN)
def outbox_api():
    return jsonify(
        {
            "mails": [
                {
                    "id": m.id,
                    "case_id": m.case_id,
                    "to": m.to_address,
                    "subject": m.subject,
                    "body": m.body,
                    "status": m.status,
                    "error": m.error,
                    "created_at": m.created_at.isoformat(),
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                }
                for m in _mails()
            ]
        }
    )
