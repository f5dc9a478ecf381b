"""The case JSON API (``/api/v1/cases``): the inbox, a case with its timeline, and actions.

Same services and access rules as the HTML pages; session cookie or ``Authorization: Bearer``
API token. Another unit's case answers 404, never 403, so references do not leak.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth.access import ANY_STAFF, case_for, require_role
from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.workflow_schemas import WorkflowErrorSchema
from caseflow.extensions import csrf, db
from caseflow.messages.models import Message
from caseflow.messages.services import add_note, post_reply
from caseflow.read_only import read_only
from caseflow.web import services
from caseflow.web.case_view import reference_of, state_label, timeline, working_days_left
from caseflow.web.inbox import inbox_page, overdue_ids
from caseflow.web.schemas import (
    AssignRequestSchema,
    CaseDetailSchema,
    CaseListSchema,
    CaseResultSchema,
    DuplicateRequestSchema,
    InboxQuerySchema,
    MessageRequestSchema,
    MessageResultSchema,
)

blp = Blueprint(
    "cases_api",
    __name__,
    url_prefix="/api/v1",
    description="Cases for staff: inbox, timeline, replies, notes, assignment, duplicates",
)
csrf.exempt(blp)


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _row(case: Any, assignees: dict[int, str], overdue: set[int]) -> dict[str, Any]:
    """A list item from an inbox row, or from a ``Case`` for the detail view."""
    if isinstance(case, Case):
        unit, eservice = case.unit.prefix, (case.eservice.slug if case.eservice else None)
    else:
        unit, eservice = case.unit_prefix, case.eservice_slug
    return {
        "reference": case.reference,
        "reference_key": case.reference_key,
        "title": case.title,
        "state": case.state,
        "state_label": state_label(case),
        "priority": case.priority,
        "channel": case.channel,
        "unit": unit,
        "eservice": eservice,
        "assignee_id": case.assignee_id,
        "assignee": assignees.get(case.assignee_id) if case.assignee_id else None,
        "opened_at": case.opened_at,
        "due_date": case.due_date,
        "overdue": case.id in overdue,
        "secret": case.secret,
    }


def _result(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "state": case.state,
        "assignee_id": case.assignee_id,
        "duplicate_of": reference_of(case.duplicate_of_id),
        "priority": case.priority,
    }


@blp.route("/cases", methods=["GET"])
@read_only
@require_role(*ANY_STAFF)
@blp.arguments(InboxQuerySchema, location="query")
@blp.response(200, CaseListSchema)
@blp.alt_response(422, schema=WorkflowErrorSchema, description="Invalid filter or cursor")
def list_cases(filters: dict[str, Any]) -> dict[str, Any]:
    """The inbox: ``view``, filters, ``q`` (full text), ``sort``, keyset ``cursor``, ``limit``."""
    page = inbox_page(_user(), filters)
    overdue = overdue_ids(page.cases)
    return {
        "items": [_row(c, page.assignees, overdue) for c in page.cases],
        "next_cursor": page.next_cursor,
        "counts": page.counts,
    }


@blp.route("/cases/<reference>", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.response(200, CaseDetailSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
def get_case(reference: str) -> dict[str, Any]:
    """A case with its header facts, masked citizen and full timeline."""
    user = _user()
    case = case_for(user, reference)
    names = (
        {case.assignee_id: db.session.get(User, case.assignee_id).name} if case.assignee_id else {}
    )
    days = working_days_left(case)
    body = _row(case, names, {case.id} if days is not None and days < 0 else set())
    body.update(
        description=case.description,
        working_days_left=days,
        duplicate_of=reference_of(case.duplicate_of_id),
        citizen=services.citizen_contact(case, user),
        timeline=[vars(entry) for entry in timeline(case)],
    )
    return body


@blp.route("/cases/<reference>/messages", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(MessageRequestSchema)
@blp.response(201, MessageResultSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
@blp.alt_response(422, schema=WorkflowErrorSchema)
def post_message(data: dict[str, Any], reference: str) -> Message:
    """``public: true`` replies to the citizen through the case's channel; else a note."""
    user = _user()
    case = case_for(user, reference)
    if data["public"]:
        message = post_reply(case, data["body"], actor=user)
    else:
        message = add_note(case, data["body"], actor=user)
    db.session.commit()
    return message


@blp.route("/cases/<reference>/assign", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(AssignRequestSchema)
@blp.response(200, CaseResultSchema)
@blp.alt_response(403, schema=WorkflowErrorSchema, description="The role may not assign others")
@blp.alt_response(404, schema=WorkflowErrorSchema)
@blp.alt_response(422, schema=WorkflowErrorSchema)
def assign(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """``{"assignee_id": 7}`` assigns, ``null`` unassigns."""
    user = _user()
    case = case_for(user, reference)
    services.assign_case(case, services.user_by_id(data["assignee_id"]), actor=user)
    db.session.commit()
    return _result(case)


@blp.route("/cases/<reference>/duplicate-of", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(DuplicateRequestSchema)
@blp.response(200, CaseResultSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
@blp.alt_response(409, schema=WorkflowErrorSchema)
@blp.alt_response(422, schema=WorkflowErrorSchema)
def duplicate_of(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """Close the case as a duplicate of ``main_reference`` and link the two."""
    user = _user()
    case = case_for(user, reference)
    services.mark_duplicate(case, data["main_reference"], actor=user)
    db.session.commit()
    return _result(case)
