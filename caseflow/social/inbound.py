"""The one shape every social channel's parser produces; the core never sees a payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Event(StrEnum):
    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


@dataclass(frozen=True)
class InboundPost:
    """One comment, post or direct message as a channel parser understood it.

    ``thread_candidates`` are platform ids whose open case this item joins (the comment's
    ``parent_id``, the post it comments on, the tweet it replies to, ``dm:<user>``).
    """

    channel: str
    external_id: str
    kind: str
    thread_key: str
    text: str
    posted_at: datetime
    event: Event = Event.ADD
    parent_external_id: str | None = None
    author_external_id: str | None = None
    author_name: str | None = None
    thread_candidates: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
