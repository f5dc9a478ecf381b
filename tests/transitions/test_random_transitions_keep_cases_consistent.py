"""Random transitions by random actors never break a case's invariants.

Whatever sequence is tried, a case stays in a state its definition can reach, every state
change has exactly one status-change row and one audit event, ``closed_at`` is set exactly in
final states, and the clock is paused exactly in clock-pausing states.
"""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from caseflow.audit.models import CaseEvent
from caseflow.cases.models import Case, CaseStatusChange
from caseflow.cases.transitions import (
    CITIZEN,
    TransitionConflict,
    TransitionForbidden,
    TransitionGuardFailed,
    definition_of,
    transition_case,
)
from caseflow.errors import NotFound
from caseflow.extensions import db
from tests.factories import make_case, make_citizen, make_eservice, make_unit, make_user
from workflows import default_registry
from workflows.loader import reachable_states

ACTORS = ("handlaggare", "enhetschef", "registrator", "admin", "outsider", "system", "citizen")
ROLE_OF = {a: a for a in ACTORS} | {"outsider": "handlaggare"}
ALL_NAMES = sorted({n for d in default_registry().all() for n in d.transition_names})


class CaseMachine(RuleBasedStateMachine):
    case: Case

    @initialize(workflow=st.sampled_from(default_registry().keys()))
    def open_case(self, workflow: str) -> None:
        unit, other = make_unit(), make_unit()
        self.actors = {
            "handlaggare": make_user("handlaggare", units=[unit]),
            "enhetschef": make_user("enhetschef", units=[unit]),
            "registrator": make_user("registrator"),
            "admin": make_user("admin"),
            "outsider": make_user("handlaggare", units=[other]),
            "system": None,
            "citizen": CITIZEN,
        }
        eservice = make_eservice(unit, workflow_key=workflow)
        self.case = make_case(unit, eservice=eservice, citizen=make_citizen())
        self.definition = definition_of(self.case)
        self.reachable = reachable_states(self.definition)
        self.moves = 0

    @rule(assigned=st.booleans())
    def assign(self, assigned: bool) -> None:
        self.case.assignee_id = self.actors["handlaggare"].id if assigned else None
        db.session.flush()

    @rule(
        name=st.sampled_from(ALL_NAMES),
        who=st.sampled_from(ACTORS),
        note=st.sampled_from([None, "", "Motivering."]),
        message=st.sampled_from([None, "  ", "Hej! Vi behöver mer underlag."]),
    )
    def fire(self, name: str, who: str, note: str | None, message: str | None) -> None:
        before = self.case.state
        actor = self.actors[who]
        try:
            transition_case(self.case, name, actor=actor, note=note, message=message)
        except (TransitionConflict, TransitionForbidden, TransitionGuardFailed, NotFound):
            assert self.case.state == before
            return
        self.moves += 1
        transition = self.definition.find(before, name)
        assert transition is not None
        assert self.case.state == transition.target
        assert who != "outsider"

    @rule(data=st.data())
    def fire_from_here(self, data: st.DataObject) -> None:
        """Mostly plausible moves, so runs get deep into each workflow."""
        names = [t.name for t in self.definition.transitions_from(self.case.state)]
        if not names:
            return
        name = data.draw(st.sampled_from(names))
        transition = self.definition.find(self.case.state, name)
        assert transition is not None
        allowed = [a for a in ACTORS if ROLE_OF[a] in transition.roles]
        who = data.draw(st.sampled_from(allowed * 3 + list(ACTORS)))
        if data.draw(st.booleans()):
            self.assign(assigned=True)
        note = data.draw(st.sampled_from(["Motivering.", "Motivering.", None]))
        message = data.draw(st.sampled_from(["Hej!", "Hej!", None]))
        self.fire(name=name, who=who, note=note, message=message)

    @invariant()
    def state_is_reachable(self) -> None:
        if hasattr(self, "case"):
            assert self.case.state in self.reachable

    @invariant()
    def every_move_is_audited_once(self) -> None:
        if not hasattr(self, "case"):
            return
        changes = db.session.scalar(
            sa.select(sa.func.count()).where(CaseStatusChange.case_id == self.case.id)
        )
        events = db.session.execute(
            sa.select(CaseEvent.from_state, CaseEvent.to_state)
            .where(CaseEvent.case_id == self.case.id, CaseEvent.action == "transition")
            .order_by(CaseEvent.id)
        ).all()
        assert changes == len(events) == self.moves
        if events:
            assert events[-1].to_state == self.case.state
        for earlier, later in itertools.pairwise(events):
            assert earlier.to_state == later.from_state

    @invariant()
    def closed_exactly_when_final(self) -> None:
        if hasattr(self, "case"):
            state = self.definition.state(self.case.state)
            assert (self.case.closed_at is not None) is state.final
            assert (self.case.clock_paused_at is not None) is state.pauses_clock


def test_random_transitions_keep_cases_consistent() -> None:
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=150,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
