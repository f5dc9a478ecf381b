"""Models of this area (imported by ``init_app`` so Alembic sees them).

``SocialItem`` is one post, comment or direct message split from a webhook delivery, unique
per (channel, platform id): a redelivered or duplicated event can never make a second one.
``ModerationAction`` is the BBS-lagen record of a hide/remove, with the archived copy taken
before anything changed. ``RoutingRule`` registers matching items automatically.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db import Base, CreatedAtMixin, IdMixin, utcnow


class ItemKind(StrEnum):
    COMMENT = "comment"  # a comment or a reply to one (Facebook, Instagram)
    POST = "post"  # a visitor post on the Page
    DIRECT = "direct"  # Messenger, Instagram or X direct message
    MENTION = "mention"  # an X post mentioning the account (or replying to it)


class ItemStatus(StrEnum):
    NEW = "new"  # in the social inbox, waiting for a person
    THREADED = "threaded"  # joined an open case of the same thread
    REGISTERED = "registered"  # opened a case (by a person or a routing rule)
    ATTACHED = "attached"  # added to an existing case
    REPLIED = "replied"  # answered without a case (a recorded dialogue)
    DISMISSED = "dismissed"
    MODERATED = "moderated"  # hidden or removed under BBS-lagen


OPEN_STATUSES = (ItemStatus.NEW,)


class ModerationReason(StrEnum):
    """Reason codes for hiding or removing a comment (BBS-lagen 5 §, municipal policy)."""

    THREAT = "threat"  # olaga hot
    AGITATION = "agitation"  # hets mot folkgrupp
    PRIVACY = "privacy"  # integritetsintrång, kränkande uppgifter
    COPYRIGHT = "copyright"  # upphovsrättsintrång
    SPAM = "spam"
    PERSONAL_DATA = "personal_data"  # personuppgifter (e.g. personnummer) in public
    OFF_TOPIC = "off_topic"
    OTHER = "other"  # requires a free-text reason


class ModerationKind(StrEnum):
    HIDE = "hide"
    REMOVE = "remove"


class PlatformCallStatus(StrEnum):
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


class SocialItem(IdMixin, Base):
    __tablename__ = "social_items"
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id"),
        sa.Index("ix_social_items_status_received", "status", "received_at"),
        sa.Index("ix_social_items_channel_thread", "channel", "thread_key"),
        sa.CheckConstraint(
            "status IN ('new', 'threaded', 'registered', 'attached', 'replied', 'dismissed',"
            " 'moderated')",
            name="status",
        ),
    )

    #: ``facebook``, ``messenger``, ``instagram`` or ``x``.
    channel: Mapped[str] = mapped_column(sa.String(20))
    #: The platform's id: comment id, Messenger ``mid``, tweet ``id_str``, DM event id.
    external_id: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: Conversation key: top-level comment/post id, or ``dm:<user id>`` for direct messages.
    thread_key: Mapped[str] = mapped_column(sa.String(200))
    #: What it answers on the platform (comment ``parent_id``, ``in_reply_to_status_id_str``).
    parent_external_id: Mapped[str | None] = mapped_column(sa.String(200))
    #: The platform user id of the author (a pseudonymous id, not contact data).
    author_external_id: Mapped[str | None] = mapped_column(sa.String(100))
    author_name: Mapped[str | None] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    #: Platform extras: attachments, permalink, media id, edit history.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: When the platform says it was written.
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(12), default=ItemStatus.NEW)
    #: The registration of the delivery this item was split from (``intake_items.id``).
    intake_item_id: Mapped[int | None] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"))
    #: Suggested or chosen unit; lets unit staff see items routed to them.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    routing_rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("social_routing_rules.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: ``hidden`` or ``removed`` once moderated; the text stays in the record.
    moderation: Mapped[str | None] = mapped_column(sa.String(10))
    edited_at: Mapped[datetime | None]
    removed_on_platform_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<SocialItem {self.id} {self.channel} {self.status}>"


class ModerationAction(IdMixin, CreatedAtMixin, Base):
    """Who hid or removed what, why, and the copy of it as it was (append-only)."""

    __tablename__ = "social_moderation_actions"
    __table_args__ = (
        sa.CheckConstraint("action IN ('hide', 'remove')", name="action"),
        sa.CheckConstraint(
            "platform_status IN ('queued', 'done', 'failed')", name="platform_status"
        ),
        sa.CheckConstraint(
            "reason_code <> 'other' OR reason_text IS NOT NULL", name="other_needs_text"
        ),
        # The moderation sweeper reads only queued rows, oldest first (migration 0015).
        sa.Index(
            "ix_social_moderation_actions_queued_created",
            "created_at",
            postgresql_where=sa.text("platform_status = 'queued'"),
            sqlite_where=sa.text("platform_status = 'queued'"),
        ),
    )

    item_id: Mapped[int] = mapped_column(sa.ForeignKey("social_items.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(10))
    reason_code: Mapped[str] = mapped_column(sa.String(20))
    reason_text: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: The text and metadata exactly as they were before the action.
    archived_text: Mapped[str] = mapped_column(sa.Text)
    archived_data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    platform_status: Mapped[str] = mapped_column(sa.String(10), default=PlatformCallStatus.QUEUED)
    platform_error: Mapped[str | None] = mapped_column(sa.Text)
    platform_done_at: Mapped[datetime | None]
    platform_calls: Mapped[int] = mapped_column(default=0)

    item: Mapped[SocialItem] = relationship()


class RoutingRule(IdMixin, CreatedAtMixin, Base):
    """Keyword/phrase list that registers matching items in a unit (lowest priority first)."""

    __tablename__ = "social_routing_rules"

    name: Mapped[str] = mapped_column(sa.String(200))
    priority: Mapped[int] = mapped_column(default=100)
    #: Phrases matched stemming-insensitively (Swedish): "trasig gatlykta" matches
    #: "gatlyktorna är trasiga" because every word of the phrase occurs in some form.
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Limit to one channel; null means every social channel.
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    eservice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("eservices.id"))
    #: Workflow of the opened case when no e-service is given (default ``fraga``).
    workflow_key: Mapped[str | None] = mapped_column(sa.String(50))
    active: Mapped[bool] = mapped_column(default=True)
