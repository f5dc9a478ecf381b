"""Caseworker writes on cases: assignment, priority, duplicates, attachments, contact views.

Typed verbs with an explicit actor; they flush, never commit, and raise domain errors. The
caller has already loaded the case through ``case_for`` (access rules), and each verb checks
the role rules of its own action.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from caseflow.audit.services import record_event
from caseflow.auth.access import case_for
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.transitions import definition_of, role_of, transition_case
from caseflow.db import utcnow
from caseflow.enums import Priority, Role
from caseflow.errors import Conflict, DomainError, Forbidden, ValidationFailed
from caseflow.extensions import db
from caseflow.messages.models import Attachment
from workflows import available

#: Roles that may see contact details of secret cases and protected identities.
CONTACT_ROLES = frozenset({Role.REGISTRATOR, Role.ENHETSCHEF})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "txt", "docx", "xlsx", "odt"}


# --- assignment ---------------------------------------------------------------------------


def assign_case(case: Case, assignee: User | None, *, actor: User) -> Case:
    """Assign (or unassign with ``None``) the case.

    Caseworkers may take a case or give up their own; unit leads, registrars and admins may
    assign anyone who belongs to the case's unit.
    """
    previous = case.assignee_id
    new = assignee.id if assignee else None
    if previous == new:
        return case
    role = Role(actor.role)
    if role == Role.HANDLAGGARE:
        taking = assignee is not None and assignee.id == actor.id
        releasing = assignee is None and case.assignee_id == actor.id
        if not (taking or releasing):
            raise Forbidden("Handläggare kan bara ta eller lämna ifrån sig ärenden.")
    if assignee is not None:
        if not assignee.active:
            raise ValidationFailed("Användaren är inaktiv.", {"assignee_id": ["Inaktiv."]})
        if case.unit_id not in assignee.unit_ids:
            raise ValidationFailed(
                "Användaren hör inte till ärendets enhet.",
                {"assignee_id": ["Välj någon på ärendets enhet."]},
            )
    case.assignee_id = new
    case.last_activity_at = utcnow()
    db.session.flush()
    record_event(
        case.id,
        "assigned" if new else "unassigned",
        actor_id=actor.id,
        data={"from": previous, "to": new, "to_name": assignee.name if assignee else None},
    )
    return case


def assignable_users(case: Case) -> list[User]:
    """Active staff of the case's unit (the choices of the assign form)."""
    from caseflow.auth.models import user_units

    return list(
        db.session.execute(
            sa.select(User)
            .join(user_units, user_units.c.user_id == User.id)
            .where(user_units.c.unit_id == case.unit_id, User.active.is_(True))
            .order_by(User.name)
        ).scalars()
    )


def user_by_id(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None:
        raise ValidationFailed("Okänd användare.", {"assignee_id": ["Okänd användare."]})
    return user


# --- priority -------------------------------------------------------------------------------


def set_priority(case: Case, priority: str, *, actor: User) -> Case:
    try:
        value = Priority(priority).value
    except ValueError:
        raise ValidationFailed(
            "Okänd prioritet.", {"priority": ["Välj låg, normal, hög eller akut."]}
        ) from None
    if case.priority != value:
        previous, case.priority = case.priority, value
        db.session.flush()
        record_event(
            case.id, "priority_changed", actor_id=actor.id, data={"from": previous, "to": value}
        )
    return case


# --- duplicates ------------------------------------------------------------------------------


def mark_duplicate(case: Case, main_reference: str, *, actor: User) -> Case:
    """Close ``case`` as a duplicate of the main case and link it.

    The duplicate is closed through its workflow (``dismiss`` or ``close``, whichever leaves
    its current state), and its citizen is told which case carries on. A main case without a
    citizen takes over the duplicate's, so replies there reach them.
    """
    main = case_for(actor, main_reference)
    if main.id == case.id:
        raise ValidationFailed(
            "Ett ärende kan inte vara dubblett av sig självt.",
            {"main_reference": ["Ange ett annat ärende."]},
        )
    if main.duplicate_of_id is not None:
        raise ValidationFailed(
            "Huvudärendet är självt en dubblett.",
            {"main_reference": ["Ange huvudärendet, inte en dubblett."]},
        )
    if case.closed_at is not None:
        raise Conflict("Ärendet är redan avslutat.")
    definition = definition_of(case)
    names = [t.name for t in available(definition, case.state, role_of(actor))]
    chosen = next((n for n in ("dismiss", "close") if n in names), None)
    if chosen is None:
        raise Conflict(
            "Ärendet kan inte stängas som dubblett i sin nuvarande status.",
            {"state": [case.state]},
        )
    text = (
        f"Ditt ärende {case.reference} handläggs tillsammans med ärende {main.reference}. "
        f"Svar kommer i det ärendet."
    )
    case.duplicate_of_id = main.id
    transition_case(case, chosen, actor=actor, note=f"Dubblett av {main.reference}", message=text)
    if main.citizen_id is None and case.citizen_id is not None:
        main.citizen_id = case.citizen_id
    db.session.flush()
    record_event(
        case.id,
        "marked_duplicate",
        actor_id=actor.id,
        data={"main": main.reference, "main_id": main.id},
    )
    record_event(
        main.id,
        "duplicate_linked",
        actor_id=actor.id,
        data={"duplicate": case.reference, "duplicate_id": case.id, "citizen_id": case.citizen_id},
    )
    return case


# --- attachments -----------------------------------------------------------------------------


def add_attachment(case: Case, filename: str, data: bytes, *, actor: User) -> Attachment:
    """Store a file on the case (outside the web root, by a random key)."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors = []
    if not name or extension not in ALLOWED_EXTENSIONS:
        errors.append("Tillåtna filtyper: " + ", ".join(sorted(ALLOWED_EXTENSIONS)) + ".")
    if not data:
        errors.append("Filen är tom.")
    if len(data) > MAX_ATTACHMENT_BYTES:
        errors.append("Filen är större än 10 MB.")
    if errors:
        raise ValidationFailed("Filen kan inte bifogas.", {"file": errors})
    from caseflow.eservices.fields import CONTENT_TYPES

    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    key = secrets.token_hex(16)
    with open(os.path.join(folder, key), "xb") as handle:
        handle.write(data)
    attachment = Attachment(
        case_id=case.id,
        filename=name[:255],
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=len(data),
        storage_key=key,
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(
        case.id,
        "attachment_added",
        actor_id=actor.id,
        data={"attachment_id": attachment.id, "filename": attachment.filename},
    )
    return attachment


def attachment_of(case: Case, attachment_id: int) -> Attachment:
    from caseflow.errors import NotFound

    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        raise NotFound("Bilagan finns inte.")
    return attachment


# --- contact details with masking -------------------------------------------------------------


def contact_is_protected(case: Case) -> bool:
    return bool(case.secret or (case.citizen and case.citizen.protected_identity))


def may_see_protected_contact(user: User) -> bool:
    return Role(user.role) in CONTACT_ROLES


def citizen_contact(case: Case, user: User, *, reveal: bool = False) -> dict[str, Any] | None:
    """The citizen's contact details as ``user`` may see them.

    Secret cases and protected identities are masked unless the role may see them and the user
    asked to (``reveal``); each such reveal is written to the audit trail.
    """
    citizen = case.citizen
    if citizen is None:
        return None
    protected = contact_is_protected(case)
    if protected and not (reveal and may_see_protected_contact(user)):
        return {
            "masked": True,
            "protected": True,
            "name": None,
            "email": None,
            "phone": None,
            "may_reveal": may_see_protected_contact(user),
        }
    if protected:
        record_event(
            case.id, "protected_contact_viewed", actor_id=user.id, data={"citizen_id": citizen.id}
        )
    return {
        "masked": False,
        "protected": protected,
        "name": citizen.name,
        "email": citizen.email,
        "phone": citizen.phone,
        "may_reveal": False,
    }


# --- bulk actions ----------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list[str]
    failed: dict[str, str]


def bulk_apply(user: User, references: list[str], action: Any) -> BulkResult:
    """Apply ``action(case)`` to each case in its own savepoint; failures are listed, not fatal."""
    result = BulkResult(done=[], failed={})
    for reference in list(dict.fromkeys(r for r in references if r))[:200]:
        try:
            with db.session.begin_nested():
                case = case_for(user, reference)
                action(case)
            result.done.append(case.reference)
        except DomainError as exc:
            result.failed[reference] = exc.message
    return result


def bulk_assign(user: User, references: list[str], assignee: User | None) -> BulkResult:
    return bulk_apply(user, references, lambda case: assign_case(case, assignee, actor=user))


def bulk_transition(
    user: User, references: list[str], transition: str, note: str | None = None
) -> BulkResult:
    return bulk_apply(
        user, references, lambda case: transition_case(case, transition, actor=user, note=note)
    )


__all__ = [
    "BulkResult",
    "add_attachment",
    "assign_case",
    "bulk_assign",
    "bulk_transition",
    "citizen_contact",
    "mark_duplicate",
    "set_priority",
]
