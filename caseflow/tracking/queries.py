"""Reads for the tracking page: only what is public on the case."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.messages.models import Attachment, Direction, Message


def public_messages(case: Case) -> list[Message]:
    """Inbound and outbound public messages in order; internal notes never."""
    return list(
        db.session.execute(
            sa.select(Message)
            .where(
                Message.case_id == case.id,
                Message.public.is_(True),
                Message.direction.in_([Direction.INBOUND, Direction.OUTBOUND]),
            )
            .order_by(Message.created_at, Message.id)
        ).scalars()
    )


def attachment_names(message_ids: list[int]) -> dict[int, list[str]]:
    if not message_ids:
        return {}
    rows = db.session.execute(
        sa.select(Attachment.message_id, Attachment.filename)
        .where(Attachment.message_id.in_(message_ids))
        .order_by(Attachment.id)
    )
    names: dict[int, list[str]] = {}
    for message_id, filename in rows:
        names.setdefault(message_id, []).append(filename)
    return names
