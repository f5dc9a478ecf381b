"""Small readers for assertions."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.social.models import SocialItem


def items(channel: str | None = None) -> list[SocialItem]:
    stmt = sa.select(SocialItem).order_by(SocialItem.id)
    if channel:
        stmt = stmt.where(SocialItem.channel == channel)
    return list(db.session.execute(stmt).scalars())


def item(channel: str, external_id: str) -> SocialItem:
    return db.session.execute(
        sa.select(SocialItem).where(
            SocialItem.channel == channel, SocialItem.external_id == external_id
        )
    ).scalar_one()


def messages(channel: str | None = None) -> list[Message]:
    stmt = sa.select(Message).order_by(Message.id)
    if channel:
        stmt = stmt.where(Message.channel == channel)
    return list(db.session.execute(stmt).scalars())
