"""Reads of the social area: the inbox, supervision figures, threads and reply targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from caseflow.auth.access import sees_all_units
from caseflow.auth.models import User
from caseflow.db import utcnow
from caseflow.errors import NotFound
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.social.models import ItemKind, ItemStatus, SocialItem

SOCIAL_CHANNELS = ("facebook", "messenger", "instagram", "x")
STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


def visible_items_clause(user: User) -> sa.ColumnElement[bool]:
    """Registrars and admins see every item; others the items routed to their units."""
    if sees_all_units(user):
        return sa.true()
    unit_ids = sorted(user.unit_ids)
    return SocialItem.unit_id.in_(unit_ids) if unit_ids else sa.false()


def item_for(user: User, item_id: int, *, for_update: bool = False) -> SocialItem:
    """An item the user may see, or ``NotFound`` (also for items they may not see)."""
    stmt = sa.select(SocialItem).where(SocialItem.id == item_id, visible_items_clause(user))
    if for_update:
        stmt = stmt.with_for_update()
    item = db.session.execute(stmt).scalar_one_or_none()
    if item is None:
        raise NotFound("Inlägget finns inte.")
    return item


def inbox(
    user: User,
    *,
    channel: str | None = None,
    status: str | None = ItemStatus.NEW,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SocialItem], int]:
    """Items newest first with their total count; ``status=None`` means every status."""
    stmt = sa.select(SocialItem).where(visible_items_clause(user))
    if channel:
        stmt = stmt.where(SocialItem.channel == channel)
    if status:
        stmt = stmt.where(SocialItem.status == status)
    if q:
        pattern = f"%{q.strip()}%"
        stmt = stmt.where(
            sa.or_(SocialItem.text.ilike(pattern), SocialItem.author_name.ilike(pattern))
        )
    total = db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar()
    rows = db.session.execute(
        stmt.order_by(SocialItem.received_at.desc(), SocialItem.id.desc())
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), int(total or 0)


@dataclass(frozen=True)
class ChannelSupervision:
    """What the responsible person must watch under BBS-lagen, per channel."""

    channel: str
    unreviewed: int
    oldest_unreviewed_at: datetime | None
    last_review_at: datetime | None
    moderated: int


def supervision() -> list[ChannelSupervision]:
    """Per channel: unreviewed items, the oldest of them, the last review, moderations."""
    unreviewed = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            sa.select(SocialItem.channel, sa.func.count(), sa.func.min(SocialItem.received_at))
            .where(SocialItem.status == ItemStatus.NEW)
            .group_by(SocialItem.channel)
        )
    )
    reviewed = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            sa.select(
                SocialItem.channel,
                sa.func.max(SocialItem.reviewed_at),
                sa.func.count(SocialItem.moderation),
            ).group_by(SocialItem.channel)
        )
    )
    out = []
    for channel in SOCIAL_CHANNELS:
        count, oldest = unreviewed.get(channel, (0, None))
        last, moderated = reviewed.get(channel, (None, 0))
        out.append(
            ChannelSupervision(
                channel=channel,
                unreviewed=int(count),
                oldest_unreviewed_at=_aware(oldest),
                last_review_at=_aware(last),
                moderated=int(moderated or 0),
            )
        )
    return out


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite; stored values are UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def reply_target(item: SocialItem) -> str:
    """Where an answer to ``item`` goes on the platform.

    Facebook and Instagram comments nest one level, so the answer goes on the thread's
    top-level comment; X replies go to the citizen's own post (the reply restriction);
    direct messages to ``dm:<user id>``.
    """
    if item.channel == "x" and item.kind == ItemKind.MENTION:
        return item.external_id
    return item.thread_key


def latest_item_on_case(case_id: int, channel: str) -> SocialItem | None:
    return db.session.execute(
        sa.select(SocialItem)
        .where(SocialItem.case_id == case_id, SocialItem.channel == channel)
        .order_by(SocialItem.posted_at.desc(), SocialItem.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def reply_target_for_message(message: Message) -> str | None:
    """The target of an outbound message: its own, else the case's latest social item."""
    if message.reply_to_external_id:
        return message.reply_to_external_id
    if message.case_id is None:
        return None
    item = latest_item_on_case(message.case_id, message.channel)
    return reply_target(item) if item is not None else None


def last_inbound_at(channel: str, thread_key: str) -> datetime | None:
    return _aware(
        db.session.execute(
            sa.select(sa.func.max(SocialItem.posted_at)).where(
                SocialItem.channel == channel, SocialItem.thread_key == thread_key
            )
        ).scalar()
    )


def messaging_window(channel: str, thread_key: str, now: datetime | None = None) -> str | None:
    """``RESPONSE`` within 24 h of the citizen's last message, ``HUMAN_AGENT`` within 7 days,
    ``None`` after that (Meta refuses; use another channel)."""
    last = last_inbound_at(channel, thread_key)
    if last is None:
        return None
    age = (now or utcnow()) - last
    if age <= STANDARD_WINDOW:
        return "RESPONSE"
    if age <= HUMAN_AGENT_WINDOW:
        return "HUMAN_AGENT"
    return None


def new_items_count(user: User) -> int:
    """Items waiting in the social inbox that ``user`` may see (the inbox's social view)."""
    return int(
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(SocialItem)
            .where(visible_items_clause(user), SocialItem.status == ItemStatus.NEW)
        ).scalar_one()
    )
