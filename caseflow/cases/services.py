"""Writes that open cases. State changes after opening go through ``transition_case``."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app

from caseflow.audit.services import record_event
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.references import (
    format_reference,
    next_serial,
    pending_reference,
    reference_key,
)
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.enums import Priority
from caseflow.errors import ValidationFailed
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.timeutil import local_date
from caseflow.units.models import Unit
from workflows import default_registry
from workflows.calendar import add_working_days

DEFAULT_WORKFLOW = "arende"


def open_case(
    *,
    unit: Unit,
    title: str,
    channel: str,
    description: str = "",
    eservice: EService | None = None,
    citizen: Citizen | None = None,
    workflow_key: str | None = None,
    actor: User | None = None,
    actor_label: str = "citizen",
    priority: Priority | str = Priority.NORMAL,
    sla_days: int | None = None,
    secret: bool = False,
    opened_by_individual: bool = True,
    opened_at: datetime | None = None,
    reference_later: bool = False,
) -> Case:
    """Register a new case with the next diarienummer of its unit and year.

    The workflow's latest version is pinned on the case; its deadline is counted in Swedish
    working days from the local date of opening. With ``reference_later`` the case gets a
    placeholder reference and the caller calls ``references.assign_reference`` as its last
    write before commit, so the unit's serial is locked as briefly as possible.
    """
    key = workflow_key or (eservice.workflow_key if eservice else DEFAULT_WORKFLOW)
    try:
        definition = default_registry().latest(key)
    except KeyError as exc:
        raise ValidationFailed("Unknown workflow.", {"workflow_key": [str(key)]}) from exc
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("A case needs a title.", {"title": ["Required."]})
    opened_at = opened_at or utcnow()
    days = sla_days if sla_days is not None else (eservice.handling_days if eservice else 10)
    opened_on = local_date(opened_at)
    year = opened_on.year
    if reference_later:
        serial, reference = 0, pending_reference()
    else:
        serial = next_serial(unit, year)
        pattern = unit.reference_pattern or current_app.config["REFERENCE_PATTERN"]
        reference = format_reference(pattern, unit.prefix, year, serial)
    case = Case(
        reference=reference,
        reference_key=reference_key(reference),
        serial_year=year,
        serial=serial,
        title=title[:300],
        description=description,
        eservice=eservice,
        channel=str(channel),
        citizen=citizen,
        unit=unit,
        workflow_key=definition.key,
        workflow_version=definition.version,
        state=definition.initial_state,
        priority=Priority(priority).value,
        sla_days=days,
        due_date=add_working_days(opened_on, days),
        opened_at=opened_at,
        last_activity_at=opened_at,
        tracking_token=secrets.token_urlsafe(32),
        secret=secret,
        opened_by_individual=opened_by_individual,
    )
    db.session.add(case)
    db.session.flush()
    record_event(
        case.id,
        "opened",
        actor_id=actor.id if actor else None,
        actor_label=actor_label,
        to_state=case.state,
        data={"channel": case.channel, "workflow": f"{definition.key}@{definition.version}"},
    )
    return case
