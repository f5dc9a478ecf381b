"""Ingest parsed posts (the intake job): new items, threads, cases and messages, in batches.

A drain job hands over the posts of many deliveries at once (``ingest_batch``). Every read is
made once for the whole batch (items already known, open threads, citizens' handles, routing
rules and the DM unit) and every write goes out as one multi-row INSERT per table, so the
cost per item is a fraction of a statement; only ``open_case`` runs once per new case.

The result is the same as ingesting the posts one after another: the batch first decides, in
order, what each post becomes (a known item is skipped or updated; a new one joins the open
case of its thread, opens a case by a routing rule or as a direct message, or waits in the
inbox), keeping in memory the threads and items that earlier posts of the batch made; then
it writes: citizens and handles, the cases in order, the messages, and last the audit events,
items and usage events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caseflow.audit.services import record_event
from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.messages.models import Message
from caseflow.messages.services import new_inbound_message, record_received
from caseflow.social.batch_reads import (
    Threads,
    author_of,
    citizens_by_author,
    known_items,
    load_threads,
    rules_and_dm_unit,
)
from caseflow.social.inbound import Event, InboundPost
from caseflow.social.matching import any_phrase_matches
from caseflow.social.models import ItemKind, ItemStatus, RoutingRule, SocialItem
from caseflow.units.models import Unit
from caseflow.usage.services import record_usage

DM_WORKFLOW = "fraga"
DM_DEFAULT_CHANNELS = ("messenger", "instagram")
ATTACHMENT_LABELS = {
    "image": "bild",
    "video": "video",
    "audio": "ljud",
    "file": "fil",
    "sticker": "klistermärke",
}

#: Posts ingested together at most (a single delivery larger than this is one chunk):
#: each read binds about two parameters per post.
CHUNK_POSTS = 500

Group = tuple[int | None, Sequence[InboundPost]]
"""The posts of one delivery with the id of its intake registration."""


# --- the plan: what each new post becomes ----------------------------------------------------


@dataclass(eq=False)
class _Opening:
    """A case this batch opens for the first item of a thread."""

    unit: Unit
    eservice: EService | None
    workflow_key: str
    first: _New
    case: Case | None = None


@dataclass(eq=False)
class _New:
    item: SocialItem
    target: Case | _Opening | None = None  # the case it joins, or the one it opens
    message: Message | None = None


# --- ingest ----------------------------------------------------------------------------------


def ingest_posts(posts: Sequence[InboundPost], *, intake_item_id: int | None = None) -> int:
    """Turn one delivery's parsed posts into items, messages or cases; returns how many new."""
    return ingest_batch([(intake_item_id, posts)])[0]


def ingest_batch(groups: Sequence[Group]) -> list[int]:
    """Ingest the posts of many deliveries at once; returns how many items each made.

    Items are unique per (channel, platform id): a post already known (stored, or earlier
    in the batch) is skipped, or for an edit or removal updated, so redelivered or duplicated
    events never repeat. Two jobs racing on the same platform id meet the UNIQUE key at the
    final flush: the caller's savepoint rolls back and its retry skips the item.

    Deliveries are taken in chunks of about ``CHUNK_POSTS`` posts, one after another, so the
    batch reads stay within the database's limit of bound parameters per statement.
    """
    created: list[int] = []
    chunk: list[Group] = []
    size = 0
    for group in groups:
        if chunk and size + len(group[1]) > CHUNK_POSTS:
            created += _ingest_chunk(chunk)
            chunk, size = [], 0
        chunk.append(group)
        size += len(group[1])
    return created + _ingest_chunk(chunk) if chunk else created


def _ingest_chunk(groups: Sequence[Group]) -> list[int]:
    posts = [post for _, group in groups for post in group]
    if not posts:
        return [0] * len(groups)
    rules, dm_unit = rules_and_dm_unit()
    known = known_items(posts)
    threads = load_threads(posts)
    plan: list[_New] = []
    later: list[tuple[SocialItem, InboundPost | None]] = []  # edits/removals of new items
    created: list[int] = []
    with db.session.no_autoflush:
        for intake_item_id, group in groups:
            made = 0
            for post in group:
                item = known.get((post.channel, post.external_id))
                if item is None:
                    if post.event is Event.REMOVE:
                        continue
                    new = _plan_new(post, intake_item_id, threads, rules, dm_unit)
                    known[(post.channel, post.external_id)] = new.item
                    plan.append(new)
                    made += 1
                elif item.id is None:
                    if post.event is Event.REMOVE or post.event is Event.EDIT:
                        later.append((item, post if post.event is Event.EDIT else None))
                elif post.event is Event.REMOVE:
                    _record_removal(item)
                elif post.event is Event.EDIT:
                    _record_edit(item, post)
            created.append(made)
        _write(plan)
    if later:
        db.session.flush()  # the edited items' ids go into their audit events
    for item, edit in later:
        if edit is None:
            _record_removal(item)
        else:
            _record_edit(item, edit)
    db.session.flush()
    return created


def _plan_new(
    post: InboundPost,
    intake_item_id: int | None,
    threads: Threads,
    rules: list[RoutingRule],
    dm_unit: Unit | None,
) -> _New:
    item = SocialItem(
        channel=post.channel,
        external_id=post.external_id,
        kind=post.kind,
        thread_key=post.thread_key,
        parent_external_id=post.parent_external_id,
        author_external_id=post.author_external_id,
        author_name=(post.author_name or None) and post.author_name[:200],
        text=_display_text(post) or "(tomt meddelande)",
        data=dict(post.data),
        posted_at=post.posted_at,
        status=ItemStatus.NEW,
        intake_item_id=intake_item_id,
    )
    new = _New(item)
    target = threads.find(post.channel, post.thread_candidates or (post.thread_key,))
    if target is not None:
        new.target = target
        item.status = ItemStatus.THREADED
    else:
        new.target = _route(new, rules, dm_unit)
    if new.target is not None:
        threads.joined(item, new.target)
    return new


def _route(new: _New, rules: list[RoutingRule], dm_unit: Unit | None) -> _Opening | None:
    """Routing rules first (priority order), then the default for direct messages."""
    item = new.item
    for rule in rules:
        if rule.channel and rule.channel != item.channel:
            continue
        if any_phrase_matches(list(rule.phrases or []), item.text):
            eservice = db.session.get(EService, rule.eservice_id) if rule.eservice_id else None
            unit = db.session.get(Unit, rule.unit_id)
            assert unit is not None  # FK
            item.routing_rule_id = rule.id
            item.status = ItemStatus.REGISTERED
            key = rule.workflow_key or (eservice.workflow_key if eservice else DM_WORKFLOW)
            return _Opening(unit, eservice, key, new)
    is_dm = item.kind == ItemKind.DIRECT and item.channel in DM_DEFAULT_CHANNELS
    if is_dm and dm_unit is not None:
        item.status = ItemStatus.REGISTERED
        return _Opening(dm_unit, None, DM_WORKFLOW, new)
    return None


def _write(plan: list[_New]) -> None:
    """Citizens, cases in order, messages, then events, items and usage: one INSERT per table
    (``open_case`` aside), with a flush between the steps that need ids."""
    joining = [new for new in plan if new.target is not None]
    citizens = citizens_by_author([new.item for new in joining])
    if citizens:
        db.session.flush()
    for new in joining:
        if isinstance(new.target, _Opening) and new.target.first is new:
            opening = new.target
            opening.case = open_case(
                unit=opening.unit,
                title=title_of(new.item.text),
                channel=new.item.channel,
                description=new.item.text,
                eservice=opening.eservice,
                citizen=_citizen(citizens, new.item),
                workflow_key=opening.workflow_key,
                actor_label="social-routing",
                opened_at=utcnow(),
            )
    for new in joining:
        case = new.target.case if isinstance(new.target, _Opening) else new.target
        assert case is not None
        citizen = _citizen(citizens, new.item)
        if case.citizen_id is None and citizen is not None:
            case.citizen_id = citizen.id
        opener = isinstance(new.target, _Opening) and new.target.first is new
        new.message = new_inbound_message(
            case,
            new.item.text,
            channel=new.item.channel,
            citizen_id=citizen.id if citizen else None,
            external_id=new.item.external_id,
            intake_item_id=new.item.intake_item_id,
            at=case.opened_at if opener else None,
        )
        new.item.case_id = case.id
        new.item.unit_id = case.unit_id
    if joining:
        db.session.flush()
    for new in plan:
        if new.message is not None:
            record_received(new.message)
            new.item.message_id = new.message.id
        record_usage("social_inbound", channel=new.item.channel)
        db.session.add(new.item)


def _citizen(citizens: dict[tuple[str, str], Citizen], item: SocialItem) -> Citizen | None:
    author = author_of(item)
    return citizens.get(author) if author is not None else None


def _display_text(post: InboundPost) -> str:
    text = (post.text or "").strip()
    labels = [
        f"[{ATTACHMENT_LABELS.get(a.get('type', ''), 'bilaga')}]"
        for a in post.data.get("attachments", [])
    ]
    return " ".join([text, *labels]).strip() if labels else text


def title_of(text: str) -> str:
    """A case title from an item's text: one line, at most 80 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77].rstrip() + "…"


def _record_edit(item: SocialItem, post: InboundPost) -> None:
    """Keep the earlier wording; the message on the case stays what was received."""
    new_text = _display_text(post)
    if not new_text or new_text == item.text:
        return
    data = dict(item.data or {})
    edits = [*data.get("edits", []), {"text": item.text, "replaced_at": utcnow().isoformat()}]
    data["edits"] = edits
    item.data = data
    item.text = new_text
    item.edited_at = utcnow()
    if item.case_id:
        record_event(item.case_id, "social_item_edited", data={"item_id": item.id})


def _record_removal(item: SocialItem) -> None:
    """The author removed it on the platform; it stays in the record."""
    if item.removed_on_platform_at is None:
        item.removed_on_platform_at = utcnow()
        if item.case_id:
            record_event(item.case_id, "social_item_removed", data={"item_id": item.id})
