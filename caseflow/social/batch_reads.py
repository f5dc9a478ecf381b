"""Reads an ingest batch makes once for all its posts: routing rules and the DM unit (once per
drain job), items already known, open cases by thread, and citizens by platform user id."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from caseflow.cases.models import Case
from caseflow.citizens.models import Citizen, CitizenHandle
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.social.inbound import InboundPost
from caseflow.social.models import RoutingRule, SocialItem
from caseflow.units.models import Unit


@dataclass
class _Shared:
    rules: list[RoutingRule] | None = None
    dm_unit: Unit | None = None


_SHARED: ContextVar[_Shared | None] = ContextVar("social_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Read routing rules and the DM unit once for every delivery ingested inside the block.

    A drain job processes many deliveries in one transaction; the rules cannot change under
    it except through its own writes, and ingesting never writes rules.
    """
    token = _SHARED.set(_Shared())
    try:
        yield
    finally:
        _SHARED.reset(token)


def rules_and_dm_unit() -> tuple[list[RoutingRule], Unit | None]:
    shared = _SHARED.get()
    if shared is None:
        return _rules(), _dm_unit()
    if shared.rules is None:
        shared.rules, shared.dm_unit = _rules(), _dm_unit()
    return shared.rules, shared.dm_unit


def _rules() -> list[RoutingRule]:
    return list(
        db.session.execute(
            sa.select(RoutingRule)
            .where(RoutingRule.active.is_(True))
            .order_by(RoutingRule.priority, RoutingRule.id)
        ).scalars()
    )


def _dm_unit() -> Unit | None:
    prefix = current_app.config.get("SOCIAL_DM_UNIT")
    if not prefix:
        return None
    return db.session.execute(sa.select(Unit).where(Unit.prefix == prefix)).scalar_one_or_none()


@dataclass
class Threads:
    """The open case a new item joins: the case of the latest item whose thread key or
    platform id is one of the new item's candidates (items made by this batch are later than
    any stored); failing that, the case of the latest message with such a platform id
    (conversations, ``dm:`` keys, are items only). A target is a ``Case``, or the plan of one
    the batch is about to open."""

    by_item: dict[tuple[str, str], tuple[tuple[int, int], Any]] = field(default_factory=dict)
    by_message: dict[tuple[str, str], tuple[int, Case]] = field(default_factory=dict)
    made: int = 0

    def note(self, channel: str, keys: Sequence[str], rank: tuple[int, int], target: Any) -> None:
        for key in keys:
            current = self.by_item.get((channel, key))
            if current is None or current[0] < rank:
                self.by_item[(channel, key)] = (rank, target)

    def joined(self, item: SocialItem, target: Any) -> None:
        self.made += 1
        self.note(item.channel, (item.thread_key, item.external_id), (1, self.made), target)

    def find(self, channel: str, candidates: Sequence[str]) -> Any:
        keys = [c for c in candidates if c]
        hits = [self.by_item[(channel, k)] for k in keys if (channel, k) in self.by_item]
        if hits:
            return max(hits, key=lambda hit: hit[0])[1]
        messages = [
            self.by_message[(channel, k)]
            for k in keys
            if not k.startswith("dm:") and (channel, k) in self.by_message
        ]
        return max(messages, key=lambda hit: hit[0])[1] if messages else None


def by_channel(pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for channel, key in pairs:
        if key:
            out.setdefault(channel, set()).add(key)
    return {channel: sorted(keys) for channel, keys in out.items()}


def load_threads(posts: Sequence[InboundPost]) -> Threads:
    """Two reads for the whole batch: items joined to open cases, then messages on them."""
    threads = Threads()
    wanted = by_channel(
        [(p.channel, k) for p in posts for k in (p.thread_candidates or (p.thread_key,))]
    )
    if not wanted:
        return threads
    rows = db.session.execute(
        sa.select(SocialItem.id, SocialItem.channel, SocialItem.thread_key, SocialItem.external_id)
        .add_columns(Case)
        .join(Case, SocialItem.case_id == Case.id)
        .where(
            sa.or_(
                *(
                    sa.and_(
                        SocialItem.channel == channel,
                        sa.or_(SocialItem.thread_key.in_(keys), SocialItem.external_id.in_(keys)),
                    )
                    for channel, keys in wanted.items()
                )
            ),
            Case.closed_at.is_(None),
        )
    )
    sets = {channel: set(keys) for channel, keys in wanted.items()}
    for item_id, channel, thread_key, external_id, case in rows:
        hit = [k for k in (thread_key, external_id) if k in sets[channel]]
        threads.note(channel, hit, (0, item_id), case)
    plain = {c: [k for k in keys if not k.startswith("dm:")] for c, keys in wanted.items()}
    plain = {c: keys for c, keys in plain.items() if keys}
    if plain:
        rows = db.session.execute(
            sa.select(Message.id, Message.channel, Message.external_id)
            .add_columns(Case)
            .join(Case, Message.case_id == Case.id)
            .where(
                sa.or_(
                    *(
                        sa.and_(Message.channel == channel, Message.external_id.in_(keys))
                        for channel, keys in plain.items()
                    )
                ),
                Case.closed_at.is_(None),
            )
        )
        for message_id, channel, external_id, case in rows:
            current = threads.by_message.get((channel, external_id))
            if current is None or current[0] < message_id:
                threads.by_message[(channel, external_id)] = (message_id, case)
    return threads


def known_items(posts: Sequence[InboundPost]) -> dict[tuple[str, str], SocialItem]:
    clauses = [
        sa.and_(SocialItem.channel == channel, SocialItem.external_id.in_(ids))
        for channel, ids in by_channel([(p.channel, p.external_id) for p in posts]).items()
    ]
    if not clauses:
        return {}
    rows = db.session.execute(sa.select(SocialItem).where(sa.or_(*clauses))).scalars()
    return {(row.channel, row.external_id): row for row in rows}


def author_of(item: SocialItem) -> tuple[str, str] | None:
    return (item.channel, item.author_external_id) if item.author_external_id else None


def citizens_by_author(items: Sequence[SocialItem]) -> dict[tuple[str, str], Citizen]:
    """The citizen behind each platform user id (a pseudonymous handle, no contact data):
    one read for all, and a new citizen with its handle for each user id not seen before."""
    first: dict[tuple[str, str], str | None] = {}  # the first item's name, even if empty
    names: dict[tuple[str, str], str | None] = {}  # the first name given
    for item in items:
        author = author_of(item)
        if author is None:
            continue
        first.setdefault(author, item.author_name)
        if item.author_name and not names.get(author):
            names[author] = item.author_name
        names.setdefault(author, None)
    if not names:
        return {}
    wanted = by_channel(list(names))
    handles = db.session.execute(
        sa.select(CitizenHandle)
        .join(CitizenHandle.citizen)
        .options(contains_eager(CitizenHandle.citizen))
        .where(
            sa.or_(
                *(
                    sa.and_(CitizenHandle.channel == c, CitizenHandle.external_user_id.in_(ids))
                    for c, ids in wanted.items()
                )
            )
        )
    ).scalars()
    found: dict[tuple[str, str], Citizen] = {}
    for handle in handles:
        author = (handle.channel, handle.external_user_id)
        if names.get(author) and not handle.display_name:
            handle.display_name = names[author]
        found[author] = handle.citizen
    for author, name in names.items():
        if author in found:
            continue
        citizen = Citizen(name=first[author])
        citizen.handles.append(
            CitizenHandle(
                channel=author[0], external_user_id=author[1], display_name=first[author] or name
            )
        )
        db.session.add(citizen)
        found[author] = citizen
    return found
