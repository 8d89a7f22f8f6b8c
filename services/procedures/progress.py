"""What a procedure screen shows beside the record: the steps it offers now and the stages of the case so far.

Both are decided here, not in the widgets: the steps come from the state machine (models/penalty_flow.py,
models/mediation_flow.py) and the role of the unit of work (services/people/roles.py), with the reason in
Chinese when the role may not do one — the same words the step service answers with if it is called anyway.
The timeline is models.penalty_flow.STAGES read against the case's events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from models.enums import Procedure
from models.mediation_flow import ACTION_LABELS as MEDIATION_LABELS
from models.mediation_flow import MediationAction
from models.mediation_flow import allowed_actions as mediation_allowed
from models.penalty_flow import ACTION_LABELS as CASE_LABELS
from models.penalty_flow import STAGES, CaseAction
from models.penalty_flow import allowed_actions as case_allowed
from services.core.uow import UnitOfWork
from services.people.roles import refusal
from services.procedures import cases as C
from services.procedures import mediation as M
from services.procedures.actions import CASE_FIELDS, MEDIATION_FIELDS
from services.reference.catalogue import statute_facts

A = TypeVar("A", CaseAction, MediationAction)


@dataclass(frozen=True, slots=True)
class ActionOption(Generic[A]):
    """A step the record's current state offers, and whether the unit of work's role may do it."""

    action: A
    label: str  # the step's name (models' ACTION_LABELS)
    allowed: bool
    why_not: str = ""  # when not allowed: why, in Chinese (what the service would refuse with)


def case_actions(uow: UnitOfWork, ref: str) -> tuple[ActionOption[CaseAction], ...]:
    """The steps case ``ref`` offers from its state that have a step dialog (SUMMARY_DECIDE starts a case instead),
    in the state machine's order."""
    with uow:
        case = C.load_case(uow.session, ref)
        status, summary_open = case.status, case.procedure is Procedure.SUMMARY and case.summary_filed_on is None
        # The order-and-refusal record matters only where the penalty article requires it (噪声污染防治法第八十二条).
        refusal_first = case.power_item is not None and statute_facts(case.power_item.code).refusal_first
    out = []
    for action in case_allowed(status):
        if action is CaseAction.RECORD_REFUSAL and not refusal_first:
            continue
        if action is CaseAction.SUMMARY_FILE and not summary_open:
            continue  # 当场处罚备案 (art.52) is for an on-the-spot decision, once
        if action in CASE_FIELDS:
            why = refusal(uow.role, C.step_permission(action))
            out.append(ActionOption(action, CASE_LABELS[action], not why, why))
    return tuple(out)


def mediation_actions(uow: UnitOfWork, ref: str) -> tuple[ActionOption[MediationAction], ...]:
    """The steps mediation case ``ref`` offers from its state, in the state machine's order."""
    with uow:
        status = M.load_mediation(uow, ref).status
    why = refusal(uow.role, M.STEP_PERMISSION)
    return tuple(ActionOption(a, MEDIATION_LABELS[a], not why, why) for a in mediation_allowed(status)
                 if a in MEDIATION_FIELDS)


@dataclass(frozen=True, slots=True)
class TimelineStage:
    title: str
    done: bool
    current: bool  # the first stage not done yet: where the case stands


def case_timeline(case: C.CaseSummary) -> tuple[TimelineStage, ...]:
    """The stages of models.penalty_flow.STAGES for this case: each done once one of its actions happened. A legal
    review or collective discussion is listed only when the case needs one (or had one)."""
    happened = {e.action for e in case.events}
    needed = {CaseAction.LEGAL_REVIEW: case.legal_review_required, CaseAction.COLLECTIVE: case.collective_required}
    out: list[TimelineStage] = []
    current_found = False
    for stage in STAGES:
        done = not stage.actions or any(a.value in happened for a in stage.actions)
        if stage.optional and not done and not any(needed.get(a, False) for a in stage.actions):
            continue
        current = not done and not current_found
        current_found = current_found or current
        out.append(TimelineStage(stage.title, done, current))
    return tuple(out)
