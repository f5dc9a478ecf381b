"""Writes of the social area: ingest parsed items, triage them, moderate them.

Every verb takes an explicit ``actor`` (or none for the intake job), flushes and never
commits; platform calls (replies, hide/delete) are jobs enqueued after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app

from caseflow.audit.services import record_event
from caseflow.auth.access import can_see_case, sees_all_units
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.services import open_case
from caseflow.citizens.models import Citizen, CitizenHandle
from caseflow.db import utcnow
from caseflow.errors import Conflict, Forbidden, ValidationFailed
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.jobs import enqueue
from caseflow.messages.models import DeliveryStatus, Direction, Message
from caseflow.messages.services import enqueue_delivery, post_reply, sender_for
from caseflow.social.inbound import Event, InboundPost
from caseflow.social.matching import any_phrase_matches
from caseflow.social.models import (
    ItemKind,
    ItemStatus,
    ModerationAction,
    ModerationKind,
    ModerationReason,
    RoutingRule,
    SocialItem,
)
from caseflow.social.queries import (
    messaging_window,
    open_case_for_thread,
    reply_target,
)
from caseflow.units.models import Unit
from caseflow.usage.services import record_usage

log = logging.getLogger(__name__)

DM_WORKFLOW = "fraga"
DM_DEFAULT_CHANNELS = ("messenger", "instagram")
MODERATABLE_KINDS = (ItemKind.COMMENT, ItemKind.POST, ItemKind.MENTION)
ATTACHMENT_LABELS = {
    "image": "bild",
    "video": "video",
    "audio": "ljud",
    "file": "fil",
    "sticker": "klistermärke",
}


# --- ingest (the intake job) ----------------------------------------------------------------


@dataclass
class _Delivery:
    """What one job reads once for all the items of a delivery."""

    known: dict[tuple[str, str], SocialItem]
    rules: list[RoutingRule]
    dm_unit: Unit | None


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


def ingest_posts(posts: list[InboundPost], *, intake_item_id: int | None = None) -> int:
    """Turn a delivery's parsed posts into items, messages or cases; returns how many new.

    Items are unique per (channel, platform id): a post already known is skipped (or, for
    an edit or removal, updated), so redelivered or duplicated events never repeat. Known
    items, routing rules and the DM unit are read once per delivery. Two jobs racing on the
    same platform id meet the UNIQUE key: the loser's job fails and its retry skips the item.
    """
    if not posts:
        return 0
    shared = _SHARED.get()
    if shared is None:
        rules, dm_unit = _rules(), _dm_unit()
    else:
        if shared.rules is None:
            shared.rules, shared.dm_unit = _rules(), _dm_unit()
        rules, dm_unit = shared.rules, shared.dm_unit
    delivery = _Delivery(known=_known(posts), rules=rules, dm_unit=dm_unit)
    created = 0
    # Inbox items and usage events are inserted together at the end (one multi-row INSERT
    # each); an item that joined or opened a case is flushed at once so that the next item
    # of the same conversation in this delivery finds that case.
    with db.session.no_autoflush:
        for post in posts:
            item = delivery.known.get((post.channel, post.external_id))
            if post.event is Event.REMOVE:
                if item is not None:
                    _record_removal(item)
            elif item is not None:
                if post.event is Event.EDIT:
                    _record_edit(item, post)
            else:
                delivery.known[(post.channel, post.external_id)] = _ingest_new(
                    post, intake_item_id, delivery
                )
                created += 1
    db.session.flush()
    return created


def _known(posts: list[InboundPost]) -> dict[tuple[str, str], SocialItem]:
    by_channel: dict[str, set[str]] = {}
    for post in posts:
        by_channel.setdefault(post.channel, set()).add(post.external_id)
    clauses = [
        sa.and_(SocialItem.channel == channel, SocialItem.external_id.in_(sorted(ids)))
        for channel, ids in by_channel.items()
    ]
    rows = db.session.execute(sa.select(SocialItem).where(sa.or_(*clauses))).scalars()
    return {(row.channel, row.external_id): row for row in rows}


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


def _display_text(post: InboundPost) -> str:
    text = (post.text or "").strip()
    labels = [
        f"[{ATTACHMENT_LABELS.get(a.get('type', ''), 'bilaga')}]"
        for a in post.data.get("attachments", [])
    ]
    return " ".join([text, *labels]).strip() if labels else text


def _ingest_new(post: InboundPost, intake_item_id: int | None, delivery: _Delivery) -> SocialItem:
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
    record_usage("social_inbound", channel=post.channel)
    case = open_case_for_thread(post.channel, post.thread_candidates or (post.thread_key,))
    if case is not None:
        _add_to_case(item, case)
        item.status = ItemStatus.THREADED
    else:
        _route(item, delivery)
    db.session.add(item)  # added last: one INSERT with its case and message already known
    if item.case_id is not None:
        db.session.flush()
    return item


def _citizen_for(item: SocialItem) -> Citizen | None:
    """The citizen behind a platform user id (a pseudonymous handle, no contact data)."""
    cached = getattr(item, "_citizen", _MISSING)
    if cached is _MISSING:
        cached = item._citizen = _find_or_create_citizen(item)  # type: ignore[attr-defined]
    return cast("Citizen | None", cached)


_MISSING = object()


def _find_or_create_citizen(item: SocialItem) -> Citizen | None:
    if not item.author_external_id:
        return None
    handle = db.session.execute(
        sa.select(CitizenHandle).where(
            CitizenHandle.channel == item.channel,
            CitizenHandle.external_user_id == item.author_external_id,
        )
    ).scalar_one_or_none()
    if handle is not None:
        if item.author_name and not handle.display_name:
            handle.display_name = item.author_name
        return handle.citizen
    citizen = Citizen(name=item.author_name)
    citizen.handles.append(
        CitizenHandle(
            channel=item.channel,
            external_user_id=item.author_external_id,
            display_name=item.author_name,
        )
    )
    db.session.add(citizen)
    db.session.flush()
    return citizen


def _add_to_case(item: SocialItem, case: Case) -> Message:
    from caseflow.messages.services import add_inbound_message

    citizen = _citizen_for(item)
    if case.citizen_id is None and citizen is not None:
        case.citizen_id = citizen.id
    if item.message_id is not None:
        return _adopt_dialogue(item, case)
    message = add_inbound_message(
        case,
        item.text,
        channel=item.channel,
        citizen_id=citizen.id if citizen else None,
        external_id=item.external_id,
        intake_item_id=item.intake_item_id,
    )
    item.case_id = case.id
    item.message_id = message.id
    item.unit_id = case.unit_id
    return message


def _adopt_dialogue(item: SocialItem, case: Case) -> Message:
    """An item answered without a case joins one later: its recorded dialogue (the
    citizen's message and our replies) moves onto the case instead of being copied."""
    inbound = db.session.get(Message, item.message_id)
    assert inbound is not None
    replies = db.session.execute(
        sa.select(Message).where(
            Message.case_id.is_(None),
            Message.channel == item.channel,
            Message.direction == Direction.OUTBOUND,
            Message.reply_to_external_id == reply_target(item),
        )
    ).scalars()
    for message in (inbound, *replies):
        message.case_id = case.id
    case.last_activity_at = utcnow()
    record_event(
        case.id, "social_dialogue_attached", data={"item_id": item.id, "message_id": inbound.id}
    )
    item.case_id = case.id
    item.unit_id = case.unit_id
    return inbound


def _title(item: SocialItem) -> str:
    text = " ".join(item.text.split())
    return text if len(text) <= 80 else text[:77].rstrip() + "…"


def _route(item: SocialItem, delivery: _Delivery) -> None:
    """Routing rules first (priority order), then the default for direct messages."""
    for rule in delivery.rules:
        if rule.channel and rule.channel != item.channel:
            continue
        if any_phrase_matches(list(rule.phrases or []), item.text):
            eservice = db.session.get(EService, rule.eservice_id) if rule.eservice_id else None
            unit = db.session.get(Unit, rule.unit_id)
            assert unit is not None  # FK
            _open_for(item, unit=unit, eservice=eservice, workflow_key=rule.workflow_key)
            item.routing_rule_id = rule.id
            return
    is_dm = item.kind == ItemKind.DIRECT and item.channel in DM_DEFAULT_CHANNELS
    if is_dm and delivery.dm_unit is not None:
        _open_for(item, unit=delivery.dm_unit, eservice=None, workflow_key=DM_WORKFLOW)


def _open_for(
    item: SocialItem,
    *,
    unit: Unit,
    eservice: EService | None,
    workflow_key: str | None,
    actor: User | None = None,
    title: str | None = None,
) -> Case:
    case = open_case(
        unit=unit,
        title=(title or "").strip() or _title(item),
        channel=item.channel,
        description=item.text,
        eservice=eservice,
        citizen=_citizen_for(item),
        workflow_key=workflow_key or (eservice.workflow_key if eservice else DM_WORKFLOW),
        actor=actor,
        actor_label="user" if actor else "social-routing",
        opened_at=utcnow(),
    )
    _add_to_case(item, case)
    item.status = ItemStatus.REGISTERED
    return case


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


# --- triage verbs ---------------------------------------------------------------------------


def _check_can_see_item(actor: User, item: SocialItem) -> None:
    if sees_all_units(actor) or (item.unit_id is not None and item.unit_id in actor.unit_ids):
        return
    raise Forbidden("Du får inte hantera detta inlägg.")


def _review(item: SocialItem, actor: User) -> None:
    item.reviewed_at = utcnow()
    item.reviewed_by_id = actor.id


def _require_new(item: SocialItem) -> None:
    """Triage acts once; an item answered without a case may still be registered/attached."""
    if item.status not in (ItemStatus.NEW, ItemStatus.REPLIED) or item.case_id is not None:
        raise Conflict(
            "Inlägget är redan hanterat.",
            {"status": [f"Status är {item.status}."]},
        )


def register_item(
    item: SocialItem,
    *,
    actor: User,
    eservice: EService | None = None,
    unit: Unit | None = None,
    title: str | None = None,
) -> Case:
    """Open a case from an inbox item; the item becomes the case's first inbound message."""
    _check_can_see_item(actor, item)
    _require_new(item)
    unit = unit or (eservice.unit if eservice else None)
    if unit is None:
        raise ValidationFailed("Välj enhet eller e-tjänst.", {"unit": ["Välj en enhet."]})
    if not sees_all_units(actor) and unit.id not in actor.unit_ids:
        raise Forbidden("Du får inte registrera ärenden i den enheten.")
    case = _open_for(
        item,
        unit=unit,
        eservice=eservice,
        workflow_key=eservice.workflow_key if eservice else DM_WORKFLOW,
        actor=actor,
        title=title,
    )
    _review(item, actor)
    return case


def attach_item(item: SocialItem, *, actor: User, case: Case) -> Message:
    """Add an inbox item to an existing case the actor may see."""
    _check_can_see_item(actor, item)
    _require_new(item)
    if not can_see_case(actor, case):
        raise Forbidden("Du får inte se ärendet.")
    message = _add_to_case(item, case)
    item.status = ItemStatus.ATTACHED
    _review(item, actor)
    record_event(case.id, "social_item_attached", actor_id=actor.id, data={"item_id": item.id})
    return message


def reply_to_item(item: SocialItem, *, actor: User, body: str) -> Message:
    """Answer through the item's channel: on its case if it has one, else as a recorded
    dialogue without a case. Messenger/Instagram refuse after the 7-day window."""
    _check_can_see_item(actor, item)
    if item.moderation == "removed":
        raise Conflict("Inlägget är borttaget.", {"item": ["Går inte att svara på."]})
    if sender_for(item.channel) is None:
        raise Conflict(
            "Kanalen är inte konfigurerad för svar.",
            {"channel": [f"Ingen avsändare för {item.channel}."]},
        )
    target = reply_target(item)
    if item.kind == ItemKind.DIRECT and item.channel in DM_DEFAULT_CHANNELS:
        window = messaging_window(item.channel, target)
        if window is None:
            raise ValidationFailed(
                "Svarsfönstret har stängt: mer än 7 dagar sedan medborgarens senaste meddelande."
                " Svara via e-post, telefon eller brev i stället.",
                {"body": ["Utanför Messengers svarsfönster (7 dagar)."]},
            )
    if item.case_id is not None:
        case = db.session.get(Case, item.case_id)
        assert case is not None
        message = post_reply(
            case, body, actor=actor, channel=item.channel, reply_to_external_id=target
        )
    else:
        message = _reply_without_case(item, actor=actor, body=body, target=target)
    if item.status == ItemStatus.NEW:
        item.status = ItemStatus.REPLIED
    _review(item, actor)
    return message


def _reply_without_case(item: SocialItem, *, actor: User, body: str, target: str) -> Message:
    from caseflow.messages.services import _clean_body

    inbound = db.session.execute(
        sa.select(Message).where(
            Message.channel == item.channel, Message.external_id == item.external_id
        )
    ).scalar_one_or_none()
    if inbound is None:
        # The triage dialogue is recorded: the citizen's words, then the answer.
        inbound = Message(
            case_id=None,
            direction=Direction.INBOUND,
            channel=item.channel,
            body=item.text,
            public=True,
            citizen_id=(c.id if (c := _citizen_for(item)) else None),
            external_id=item.external_id,
            intake_item_id=item.intake_item_id,
            delivery_status=DeliveryStatus.NONE,
        )
        db.session.add(inbound)
        db.session.flush()
        item.message_id = inbound.id
    message = Message(
        case_id=None,
        direction=Direction.OUTBOUND,
        channel=item.channel,
        body=_clean_body(body),
        public=True,
        author_id=actor.id,
        reply_to_external_id=target,
        delivery_status=DeliveryStatus.QUEUED,
    )
    db.session.add(message)
    db.session.flush()
    enqueue_delivery(message.id)
    return message


def dismiss_item(item: SocialItem, *, actor: User, note: str | None = None) -> SocialItem:
    """Nothing to act on (thanks, emoji, chatter); it stays in the record as reviewed."""
    _check_can_see_item(actor, item)
    _require_new(item)
    item.status = ItemStatus.DISMISSED
    if note:
        data = dict(item.data or {})
        data["dismiss_note"] = note[:500]
        item.data = data
    _review(item, actor)
    return item


def moderate_item(
    item: SocialItem,
    *,
    actor: User,
    reason: ModerationReason | str,
    reason_text: str | None = None,
    action: ModerationKind | str = ModerationKind.HIDE,
) -> ModerationAction:
    """Hide or remove a public comment under BBS-lagen.

    The archived copy (text and metadata as they were) is written first; then the item is
    marked, and a job calls the platform once.
    """
    _check_can_see_item(actor, item)
    errors: dict[str, list[str]] = {}
    try:
        reason = ModerationReason(reason)
    except ValueError:
        errors["reason"] = ["Välj en giltig orsak: " + ", ".join(r.value for r in ModerationReason)]
    try:
        action = ModerationKind(action)
    except ValueError:
        errors["action"] = ["Välj hide eller remove."]
    reason_text = (reason_text or "").strip() or None
    if reason == ModerationReason.OTHER and not reason_text:
        errors["reason_text"] = ["Beskriv orsaken när du väljer 'annat'."]
    if item.kind not in MODERATABLE_KINDS:
        errors["item"] = ["Direktmeddelanden är inte offentliga och kan inte modereras."]
    elif action == ModerationKind.REMOVE and item.channel == "x":
        errors["action"] = ["X tillåter bara att svar döljs, inte att andras inlägg tas bort."]
    if errors:
        raise ValidationFailed("Modereringen kan inte göras.", errors)
    reason = ModerationReason(reason)
    action = ModerationKind(action)
    wanted = "hidden" if action == ModerationKind.HIDE else "removed"
    if item.moderation == wanted or item.moderation == "removed":
        raise Conflict("Inlägget är redan modererat.", {"item": [f"Redan {item.moderation}."]})
    record = ModerationAction(
        item_id=item.id,
        action=action.value,
        reason_code=reason.value,
        reason_text=reason_text,
        actor_id=actor.id,
        archived_text=item.text,
        archived_data=_archive(item),
    )
    db.session.add(record)
    db.session.flush()  # the copy exists before anything on the item changes
    item.moderation = wanted
    if item.status == ItemStatus.NEW:
        item.status = ItemStatus.MODERATED
    _review(item, actor)
    if item.case_id:
        record_event(
            item.case_id,
            "social_item_moderated",
            actor_id=actor.id,
            data={"item_id": item.id, "action": action.value, "reason": reason.value},
        )
    enqueue(
        "caseflow.social.tasks.moderate_on_platform",
        record.id,
        queue="outbound",
        job_id=f"moderate-{record.id}",
        network=True,
    )
    return record


def _archive(item: SocialItem) -> dict[str, Any]:
    return {
        "channel": item.channel,
        "external_id": item.external_id,
        "kind": item.kind,
        "thread_key": item.thread_key,
        "parent_external_id": item.parent_external_id,
        "author_external_id": item.author_external_id,
        "author_name": item.author_name,
        "posted_at": item.posted_at.isoformat(),
        "received_at": item.received_at.isoformat(),
        "status": item.status,
        "moderation": item.moderation,
        "case_id": item.case_id,
        "data": item.data,
    }


# --- routing rules --------------------------------------------------------------------------


def create_rule(
    *,
    name: str,
    phrases: list[str],
    unit: Unit,
    eservice: EService | None = None,
    priority: int = 100,
    channel: str | None = None,
    workflow_key: str | None = None,
) -> RoutingRule:
    """A keyword rule: items matching any phrase are registered in ``unit`` automatically."""
    cleaned = [p.strip() for p in phrases if p and p.strip()]
    if not cleaned:
        raise ValidationFailed("Regeln behöver minst en fras.", {"phrases": ["Ange en fras."]})
    rule = RoutingRule(
        name=name.strip() or cleaned[0],
        phrases=cleaned,
        unit_id=unit.id,
        eservice_id=eservice.id if eservice else None,
        priority=priority,
        channel=channel,
        workflow_key=workflow_key,
    )
    db.session.add(rule)
    db.session.flush()
    return rule
