"""Writes that open cases. State changes after opening go through ``transition_case``."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app

from caseflow.audit.models import CaseEvent
from caseflow.audit.services import event_values
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.opening import NewCase, insert_case
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
    write before commit, so the unit's serial is locked as briefly as possible; such a case
    and its audit event are written by Core statements (``caseflow.cases.opening``), one on
    PostgreSQL, and its search document follows before commit.
    """
    for related in (unit, eservice, citizen):
        if related is not None and related.id is None:
            db.session.flush()  # a pending unit, e-service or citizen gets its id
            break
    new = prepare_case(
        unit_id=unit.id,
        title=title,
        channel=channel,
        description=description,
        eservice=eservice,
        citizen_id=citizen.id if citizen else None,
        workflow_key=workflow_key,
        actor_id=actor.id if actor else None,
        actor_label=actor_label,
        priority=priority,
        sla_days=sla_days,
        secret=secret,
        opened_by_individual=opened_by_individual,
        opened_at=opened_at,
        reference_later=reference_later,
        unit=unit,
    )
    if reference_later:
        return insert_case(new)[0]
    # The diarienummer is known now: the ORM unit of work, whose flush hooks index the case
    # for search at once (callers may search before they commit).
    case = Case(**new.values)
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseEvent(case_id=case.id, **new.event))
    return case


def prepare_case(
    *,
    unit_id: int,
    title: str,
    channel: str,
    description: str = "",
    eservice: EService | None = None,
    citizen_id: int | None = None,
    workflow_key: str | None = None,
    actor_id: int | None = None,
    actor_label: str = "citizen",
    priority: Priority | str = Priority.NORMAL,
    sla_days: int | None = None,
    secret: bool = False,
    opened_by_individual: bool = True,
    opened_at: datetime | None = None,
    reference_later: bool = False,
    unit: Unit | None = None,
) -> NewCase:
    """Check and compute a new case's columns and ``opened`` event without writing them (but
    taking the serial now unless ``reference_later``); ``opening.insert_case`` writes them,
    with rows the caller links to the case. Ids, not objects: nothing is loaded."""
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
        unit = unit if unit is not None and unit.id == unit_id else db.session.get(Unit, unit_id)
        assert unit is not None
        serial = next_serial(unit, year)
        pattern = unit.reference_pattern or current_app.config["REFERENCE_PATTERN"]
        reference = format_reference(pattern, unit.prefix, year, serial)
    values = {
        "reference": reference,
        "reference_key": reference_key(reference),
        "serial_year": year,
        "serial": serial,
        "title": title[:300],
        "description": description,
        "eservice_id": eservice.id if eservice else None,
        "channel": str(channel),
        "citizen_id": citizen_id,
        "unit_id": unit_id,
        "assignee_id": None,
        "workflow_key": definition.key,
        "workflow_version": definition.version,
        "state": definition.initial_state,
        "priority": Priority(priority).value,
        "sla_days": days,
        "due_date": add_working_days(opened_on, days),
        "clock_paused_at": None,
        "clock_stopped_at": None,
        "opened_at": opened_at,
        "closed_at": None,
        "last_activity_at": opened_at,
        "overdue_flagged_at": None,
        "delay_notice_sent_at": None,
        "six_month_warned_at": None,
        "tracking_token": secrets.token_urlsafe(32),
        "secret": secret,
        "duplicate_of_id": None,
        "opened_by_individual": opened_by_individual,
    }
    event = event_values(
        "opened",
        actor_id=actor_id,
        actor_label=actor_label,
        to_state=definition.initial_state,
        data={"channel": str(channel), "workflow": f"{definition.key}@{definition.version}"},
    )
    return NewCase(values, event)
