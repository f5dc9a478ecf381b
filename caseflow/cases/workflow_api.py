"""JSON API of workflows and case transitions (``/api/v1``), for signed-in staff.

Caseworkers and unit leads reach only their units' cases; any other reference answers 404,
so references do not leak. Transition errors map to 409 (not from this state; the body names
the allowed ones), 403 (role), 422 (guard; the body names the guards and fields).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth.access import ANY_STAFF, case_for, require_role
from caseflow.auth.models import User
from caseflow.cases import deadlines
from caseflow.cases.models import Case
from caseflow.cases.transitions import GUARD_FIELDS, definition_of, role_of, transition_case
from caseflow.cases.workflow_schemas import (
    CaseTransitionsSchema,
    DelayNoticeRequestSchema,
    DelayNoticeResultSchema,
    OverdueCaseSchema,
    TransitionRequestSchema,
    TransitionResultSchema,
    WorkflowErrorSchema,
    WorkflowQuerySchema,
    WorkflowSchema,
    WorkflowSummarySchema,
)
from caseflow.errors import NotFound
from caseflow.extensions import csrf, db
from workflows import Context, Definition, available, default_registry, failing_guards
from workflows.render import to_mermaid

blp = Blueprint(
    "workflows_api",
    __name__,
    url_prefix="/api/v1",
    description="Workflows and case transitions / Arbetsflöden och statusändringar",
)
csrf.exempt(blp)


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _summary(definition: Definition) -> dict[str, Any]:
    return {
        "key": definition.key,
        "version": definition.version,
        "versions": default_registry().versions(definition.key),
        "title_sv": definition.title_sv,
        "title_en": definition.title_en,
    }


def workflow_document(definition: Definition) -> dict[str, Any]:
    return {
        **_summary(definition),
        "initial_state": definition.initial_state,
        "final_states": list(definition.final_states),
        "states": [vars(s) for s in definition.states.values()],
        "transitions": [
            {**vars(t), "sources": list(t.sources), "roles": sorted(t.roles)}
            for t in definition.transitions
        ],
        "mermaid": to_mermaid(definition),
    }


def case_transitions(case: Case, user: User) -> dict[str, Any]:
    """What ``user`` may fire on ``case`` now; guards the request must satisfy are listed."""
    definition = definition_of(case)
    state = definition.state(case.state)
    facts = Context(has_assignee=case.assignee_id is not None, has_note=True, has_message=True)
    items = []
    for t in available(definition, case.state, role_of(user)):
        target = definition.state(t.target)
        items.append(
            {
                "name": t.name,
                "label_sv": t.label_sv,
                "label_en": t.label_en,
                "target": t.target,
                "target_label_sv": target.label_sv,
                "target_label_en": target.label_en,
                "guards": list(t.guards),
                "needs": [GUARD_FIELDS[g] for g in t.guards if g != "requires_assignee"],
                "blocked_by": list(failing_guards(t, facts)),
            }
        )
    return {
        "reference": case.reference,
        "state": case.state,
        "state_label_sv": state.label_sv,
        "state_label_en": state.label_en,
        "workflow": {"key": definition.key, "version": definition.version},
        "transitions": items,
    }


@blp.route("/workflows", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.response(200, WorkflowSummarySchema(many=True))
def list_workflows() -> list[dict[str, Any]]:
    """The latest version of every workflow, with the versions still loadable."""
    registry = default_registry()
    return [_summary(registry.latest(key)) for key in registry]


@blp.route("/workflows/<key>", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.arguments(WorkflowQuerySchema, location="query")
@blp.response(200, WorkflowSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
def get_workflow(query: dict[str, Any], key: str) -> dict[str, Any]:
    """A definition (latest, or ``?version=``) with its Mermaid state diagram."""
    registry = default_registry()
    try:
        version = query.get("version")
        definition = registry.get(key, version) if version else registry.latest(key)
    except KeyError:
        raise NotFound("Arbetsflödet finns inte. / No such workflow.") from None
    return workflow_document(definition)


@blp.route("/cases/<reference>/transitions", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.response(200, CaseTransitionsSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
def get_case_transitions(reference: str) -> dict[str, Any]:
    """The transitions the current user may fire on the case now."""
    user = _user()
    return case_transitions(case_for(user, reference), user)


@blp.route("/cases/<reference>/transitions", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(TransitionRequestSchema)
@blp.response(200, TransitionResultSchema)
@blp.alt_response(403, schema=WorkflowErrorSchema, description="The role may not fire it")
@blp.alt_response(404, schema=WorkflowErrorSchema, description="No such case, or not visible")
@blp.alt_response(409, schema=WorkflowErrorSchema, description="Not allowed from the current state")
@blp.alt_response(422, schema=WorkflowErrorSchema, description="A guard failed")
def post_case_transition(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """Fire a transition: ``{"transition": "decide", "note": "...", "message": "..."}``."""
    user = _user()
    case = case_for(user, reference)
    change = transition_case(
        case, data["transition"], actor=user, note=data.get("note"), message=data.get("message")
    )
    db.session.commit()
    state = definition_of(case).state(case.state)
    return {
        "reference": case.reference,
        "transition": change.transition,
        "previous_state": change.from_state,
        "state": case.state,
        "state_label_sv": state.label_sv,
        "state_label_en": state.label_en,
        "final": state.final,
        "closed_at": case.closed_at,
        "due_date": case.due_date,
        "clock_paused": case.clock_paused_at is not None,
    }


@blp.route("/cases/<reference>/delay-notice", methods=["POST"])
@require_role(*ANY_STAFF)
@blp.arguments(DelayNoticeRequestSchema)
@blp.response(200, DelayNoticeResultSchema)
@blp.alt_response(404, schema=WorkflowErrorSchema)
@blp.alt_response(409, schema=WorkflowErrorSchema, description="Already decided or closed")
def post_delay_notice(data: dict[str, Any], reference: str) -> dict[str, Any]:
    """Send the citizen a delay notice with the reason (förvaltningslagen § 11)."""
    user = _user()
    case = case_for(user, reference)
    message = deadlines.send_delay_notice(
        case, data["reason"], user, expected_by=data.get("expected_by")
    )
    db.session.commit()
    return {
        "reference": case.reference,
        "message_id": message.id,
        "delay_notice_sent_at": case.delay_notice_sent_at,
    }


@blp.route("/deadlines/overdue", methods=["GET"])
@require_role(*ANY_STAFF)
@blp.response(200, OverdueCaseSchema(many=True))
def list_overdue_without_notice() -> list[Case]:
    """Overdue cases opened by individuals whose delay notice has not been sent."""
    return deadlines.overdue_without_notice(_user())
