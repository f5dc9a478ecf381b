"""Writes of the social area: triage inbox items, reply, moderate, keep routing rules.

Every verb takes an explicit ``actor``, flushes and never commits; platform calls (replies,
hide/delete) are jobs enqueued after commit. What the intake job does with new posts lives in
``caseflow.social.ingest`` (``ingest_posts``, ``ingest_batch`` and ``shared_reads`` are
re-exported here).
"""

from __future__ import annotations

import logging
from typing import Any, cast

import sqlalchemy as sa

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
from caseflow.social.batch_reads import shared_reads
from caseflow.social.ingest import (
    DM_DEFAULT_CHANNELS,
    DM_WORKFLOW,
    ingest_batch,
    ingest_posts,
    title_of,
)
from caseflow.social.models import (
    ItemKind,
    ItemStatus,
    ModerationAction,
    ModerationKind,
    ModerationReason,
    RoutingRule,
    SocialItem,
)
from caseflow.social.queries import messaging_window, reply_target
from caseflow.units.models import Unit

__all__ = ["ingest_batch", "ingest_posts", "shared_reads"]

log = logging.getLogger(__name__)

MODERATABLE_KINDS = (ItemKind.COMMENT, ItemKind.POST, ItemKind.MENTION)


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
        title=(title or "").strip() or title_of(item.text),
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
    enqueue_platform_call(record.id)
    return record


def enqueue_platform_call(action_id: int) -> None:
    """Make the platform call of moderation ``action_id`` by a job once the transaction
    commits (the sweeper calls it again for actions still queued)."""
    enqueue(
        "caseflow.social.tasks.moderate_on_platform",
        action_id,
        queue="outbound",
        job_id=f"moderate-{action_id}",
        network=True,
    )


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
