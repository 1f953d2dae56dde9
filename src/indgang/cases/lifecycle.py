"""The state machines, as tables: which action leads from which states to which.

One table per case kind (application, inspection, enforcement). Pure data and one look-up;
`services.take_action` checks the case's table, writes the event and the times.
"""

from __future__ import annotations

from dataclasses import dataclass

from indgang.cases.constants import CaseAction, CaseKind, CaseState

S = CaseState
A = CaseAction


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseState]
    target: CaseState


TRANSITIONS: dict[CaseAction, Transition] = {
    A.START_SCREENING: Transition(frozenset({S.RECEIVED}), S.SCREENING),
    A.SEND_DEFICIENCY_LETTER: Transition(frozenset({S.SCREENING}), S.DEFICIENCY_LETTER_SENT),
    A.RECEIVE_ANSWER: Transition(frozenset({S.DEFICIENCY_LETTER_SENT}), S.SCREENING),
    A.MARK_FULLY_INFORMED: Transition(frozenset({S.SCREENING}), S.FULLY_INFORMED),
    # Screening may end in an immediate decision: the application was complete as it came.
    A.DECIDE_IMMEDIATELY: Transition(frozenset({S.SCREENING}), S.DECIDED),
    A.START_HEARING: Transition(frozenset({S.FULLY_INFORMED, S.ASSESSMENT, S.REOPENED}), S.HEARING),
    A.START_ASSESSMENT: Transition(
        frozenset({S.FULLY_INFORMED, S.HEARING, S.REOPENED}), S.ASSESSMENT
    ),
    A.REQUEST_INFORMATION: Transition(frozenset({S.ASSESSMENT}), S.AWAITING_INFORMATION),
    A.RECEIVE_INFORMATION: Transition(frozenset({S.AWAITING_INFORMATION}), S.ASSESSMENT),
    A.SUBMIT_FOR_REVIEW: Transition(frozenset({S.ASSESSMENT}), S.REVIEW),
    A.RETURN_TO_ASSESSMENT: Transition(frozenset({S.REVIEW}), S.ASSESSMENT),
    # From assessment only for klar-parat and vejledning (services refuse princip and obs).
    A.DECIDE: Transition(frozenset({S.ASSESSMENT, S.REVIEW}), S.DECIDED),
    A.CLOSE: Transition(frozenset({S.DECIDED}), S.CLOSED),
    A.REOPEN: Transition(frozenset({S.DECIDED, S.CLOSED}), S.REOPENED),
}

# The actions that start and stop waiting for the applicant.
WAITING_STARTS = frozenset({A.SEND_DEFICIENCY_LETTER, A.REQUEST_INFORMATION})
WAITING_ENDS = frozenset({A.RECEIVE_ANSWER, A.RECEIVE_INFORMATION})
# The actions that decide, and so need a decision outcome.
DECIDING = frozenset({A.DECIDE, A.DECIDE_IMMEDIATELY})


def allowed_actions(state: str, kind: str = CaseKind.APPLICATION) -> list[CaseAction]:
    """The actions the kind's table allows from this state, in the table's order."""
    return [action for action, step in TABLES[kind].items() if state in step.sources]


def target_of(*, state: str, action: str, kind: str = CaseKind.APPLICATION) -> CaseState | None:
    """The state the action leads to from this state; None if the kind's table does not allow it."""
    table = TABLES[kind]
    step = table.get(CaseAction(action)) if action in CaseAction.values else None
    if step is None or state not in step.sources:
        return None
    return step.target


INSPECTION_TRANSITIONS: dict[CaseAction, Transition] = {
    A.GIVE_NOTICE: Transition(frozenset({S.PLANNED}), S.NOTICE_GIVEN),
    A.RECORD_VISIT: Transition(frozenset({S.NOTICE_GIVEN}), S.VISITED),
    A.SEND_REPORT: Transition(frozenset({S.VISITED}), S.REPORT_SENT),
    # Only while indskærpelser are open; services refuse it otherwise, and refuse closing then.
    A.START_FOLLOW_UP: Transition(frozenset({S.REPORT_SENT}), S.FOLLOW_UP),
    A.CLOSE: Transition(frozenset({S.REPORT_SENT, S.FOLLOW_UP}), S.CLOSED),
}

# Lovliggørelse and klagesag: an indskærpelse not remedied, or a complaint received directly.
ENFORCEMENT_TRANSITIONS: dict[CaseAction, Transition] = {
    A.START_ASSESSMENT: Transition(frozenset({S.RECEIVED, S.HEARING, S.REOPENED}), S.ASSESSMENT),
    A.START_HEARING: Transition(frozenset({S.ASSESSMENT, S.REOPENED}), S.HEARING),
    # From assessment only for a complaint rejected as unfounded (services refuse the rest).
    A.DECIDE: Transition(frozenset({S.ASSESSMENT, S.HEARING}), S.DECIDED),
    A.CLOSE: Transition(frozenset({S.DECIDED}), S.CLOSED),
    A.REOPEN: Transition(frozenset({S.DECIDED, S.CLOSED}), S.REOPENED),
}

TABLES: dict[str, dict[CaseAction, Transition]] = {
    CaseKind.APPLICATION: TRANSITIONS,
    CaseKind.INSPECTION: INSPECTION_TRANSITIONS,
    CaseKind.ENFORCEMENT: ENFORCEMENT_TRANSITIONS,
}
