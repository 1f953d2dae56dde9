"""The application's state machine, as a table: which action leads from which states to which.

Pure data and one look-up; `services.take_action` checks it, writes the event and the times.
"""

from __future__ import annotations

from dataclasses import dataclass

from indgang.cases.constants import CaseAction, CaseState

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


def allowed_actions(state: str) -> list[CaseAction]:
    """The actions the table allows from this state, in the table's order."""
    return [action for action, step in TRANSITIONS.items() if state in step.sources]


def target_of(*, state: str, action: str) -> CaseState | None:
    """The state the action leads to from this state; None if the table does not allow it."""
    step = TRANSITIONS.get(CaseAction(action)) if action in CaseAction.values else None
    if step is None or state not in step.sources:
        return None
    return step.target
