"""Penalty cases: the DTOs, loading a case, and the step machinery every step module runs on.

A step (investigation.py, notice.py, decision.py, execution.py, summary.py) is one public function: it loads the
case, asks the state machine (models/penalty_flow.py) whether the step exists from the current state, checks the
legal guards, records a CaseEvent, stores the recomputed deadlines and commits (``_run_step`` / ``_apply_step``
here). A refused step raises TransitionRefused / ValidationError and, because the unit of work rolls back, changes
nothing. The underscore helpers are shared by the step modules of this package only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from models.case import CaseEvent, PenaltyCase
from models.enums import CaseStatus, DiscretionTierName, Procedure, RecordKind
from models.labels import label
from models.penalty_flow import ACTION_LABELS, CaseAction, IllegalTransition, allowed_actions, check_edge
from models.workdays import WorkCalendar
from services.core.errors import NotFound, TransitionRefused, ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, actor_names, person_name, require
from services.procedures import deadlines as dl
from services.procedures.case_rules import LAW as LAW  # the public API of the package keeps these three
from services.procedures.case_rules import limitation_check as limitation_check
from services.procedures.case_rules import party_age_on as party_age_on
from services.reference.calendar import load_calendar
from services.reference.catalogue import DiscretionSuggestion, suggest_fine
from services.reference.numbering import next_number
from services.reference.settings import Settings
from services.reference.setup import this_township

# -- DTOs ----------------------------------------------------------------------------------------------------



@dataclass(frozen=True, slots=True)
class DeadlineInfo:
    kind: str
    label: str
    due_on: date
    provisional: bool
    met_on: date | None
    basis: str
    # A window a party may use (judicial confirmation, 人民调解法 art.33), not a duty: past its day it has lapsed.
    lapses: bool = False


@dataclass(frozen=True, slots=True)
class CaseEventInfo:
    action: str
    label: str
    on_date: date
    actor: str
    from_status: str
    to_status: str
    note: str


@dataclass(frozen=True, slots=True)
class CaseSummary:
    uid: str
    number: str
    status: CaseStatus
    status_label: str
    procedure: Procedure
    cause: str
    party_name: str
    filed_on: date | None
    decision_number: str
    decision_date: date | None
    fine_amount: Decimal | None
    allowed_actions: tuple[CaseAction, ...]
    deadlines: tuple[DeadlineInfo, ...] = ()
    events: tuple[CaseEventInfo, ...] = field(default=())
    power_item: str = ""  # "code 名称"
    proposed_fine: Decimal | None = None
    notified_fine: Decimal | None = None
    legal_review_required: bool = False
    legal_review_passed_on: date | None = None
    collective_required: bool = False
    collective_discussed_on: date | None = None
    hearing_rights: bool = False
    party_is_minor: bool = False
    place: str = ""
    facts: str = ""
    warnings: tuple[str, ...] = ()  # what the step allowed but the user should check (e.g. a hearing on a holiday)
    discretion_tier: DiscretionTierName | None = None  # the tier the investigation's conclusion chose


def _summary(session: Session, case: PenaltyCase, *, detail: bool = True) -> CaseSummary:
    deadlines: tuple[DeadlineInfo, ...] = ()
    events: tuple[CaseEventInfo, ...] = ()
    if detail:
        deadlines = tuple(
            DeadlineInfo(d.kind.value, label(d.kind), d.due_on, d.provisional, d.met_on, d.basis)
            for d in dl.stored(session, RecordKind.PENALTY_CASE, case.id)
        )
        # Events written before 办理人 were stored by name hold the login: shown as the person's name too.
        names = actor_names(session)
        events = tuple(
            CaseEventInfo(e.action, ACTION_LABELS.get(CaseAction(e.action), e.action) if e.action in
                          CaseAction._value2member_map_ else e.action, e.on_date, names.get(e.actor, e.actor),
                          label(e.from_status), label(e.to_status), e.note)
            for e in case.events
        )
    return CaseSummary(
        uid=case.uid, number=case.number, status=case.status, status_label=label(case.status),
        procedure=case.procedure, cause=case.cause, party_name=case.party.name if case.party else "",
        filed_on=case.filed_on, decision_number=case.decision_number, decision_date=case.decision_date,
        fine_amount=case.fine_amount, allowed_actions=tuple(allowed_actions(case.status)),
        deadlines=deadlines, events=events,
        power_item=f"{case.power_item.code} {case.power_item.name}" if case.power_item else "",
        proposed_fine=case.proposed_fine, notified_fine=case.notified_fine,
        legal_review_required=case.legal_review_required, legal_review_passed_on=case.legal_review_passed_on,
        collective_required=case.collective_required, collective_discussed_on=case.collective_discussed_on,
        hearing_rights=case.hearing_rights, party_is_minor=case.party_is_minor, place=case.place, facts=case.facts,
        discretion_tier=case.discretion_tier,
    )


# -- loading and the step machinery --------------------------------------------------------------------------


def load_case(session: Session, ref: str) -> PenaltyCase:
    """A case by UUID, case number or decision number."""
    case = session.scalar(
        select(PenaltyCase)
        .where(or_(PenaltyCase.uid == ref, PenaltyCase.number == ref, PenaltyCase.decision_number == ref))
        .where(PenaltyCase.deleted_at.is_(None))
        .options(selectinload(PenaltyCase.officer_links), selectinload(PenaltyCase.events))
    )
    if case is None:
        raise NotFound(f"找不到案件“{ref}”")
    return case


@dataclass
class StepContext:
    session: Session
    case: PenaltyCase
    settings: Settings
    cal: WorkCalendar
    uow: UnitOfWork
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    warnings: list[str] = field(default_factory=list)


Step = Callable[[StepContext], CaseStatus]


# The role permission (services/people/roles.py) each step needs beyond RECORD: the services refuse the step
# without it, and services.procedures.actions.case_actions greys it out on the case screen.
STEP_PERMISSIONS: Final[dict[CaseAction, Permission]] = {
    CaseAction.FILE: Permission.FILE_CASE, CaseAction.REFUSE_FILING: Permission.FILE_CASE,
    CaseAction.LEGAL_REVIEW: Permission.LEGAL_REVIEW, CaseAction.COLLECTIVE: Permission.DECIDE,
    CaseAction.DECIDE: Permission.DECIDE, CaseAction.DECIDE_NO_PENALTY: Permission.DECIDE,
    CaseAction.TRANSFER: Permission.DECIDE, CaseAction.ENFORCE: Permission.DECIDE, CaseAction.CLOSE: Permission.DECIDE,
    CaseAction.TERMINATE: Permission.DECIDE, CaseAction.EXTEND: Permission.DECIDE,
    CaseAction.APPLY_COURT: Permission.DECIDE,
}


def step_permission(action: CaseAction) -> Permission:
    return STEP_PERMISSIONS.get(action, Permission.RECORD)


def _run_step(uow: UnitOfWork, ref: str, action: CaseAction, on: date, step: Step) -> CaseSummary:
    with uow:
        case = load_case(uow.session, ref)
        summary = _apply_step(uow, case, action, on, step)
        uow.commit()
        return summary


def _apply_step(uow: UnitOfWork, case: PenaltyCase, action: CaseAction, on: date, step: Step) -> CaseSummary:
    """Run one step on a loaded case inside the caller's open unit of work (no commit here)."""
    if uow.role is not None:
        require(uow.role, step_permission(action))
    s = uow.session
    if action not in allowed_actions(case.status):
        raise TransitionRefused(f"{ACTION_LABELS[action]}：案件当前处于“{label(case.status)}”阶段，不能办理此环节")
    if on > uow.clock.today():
        raise ValidationError(f"{ACTION_LABELS[action]}的日期不能晚于今天", field="on")
    ctx = StepContext(s, case, Settings(s), load_calendar(s), uow)
    source = case.status
    with uow.action(f"penalty_case.{action.value}"):
        target = step(ctx)
        try:
            check_edge(action, source, target)
        except IllegalTransition as exc:  # a bug in a step, not user input: fail loudly
            raise AssertionError(str(exc)) from exc
        case.status = target
        case.events.append(
            CaseEvent(action=action.value, from_status=source, to_status=target, on_date=on,
                      at=uow.clock.now(), actor=person_name(s, uow.actor), note=ctx.note,
                      data=json.dumps(ctx.data, ensure_ascii=False, default=str))
        )
        s.flush()
        dl.store(s, RecordKind.PENALTY_CASE, case.id, dl.case_deadlines(case, ctx.settings, ctx.cal))
    summary = _summary(s, case)
    return replace(summary, warnings=tuple(ctx.warnings)) if ctx.warnings else summary


def _number(ctx: StepContext, doc_type: str, on: date) -> str:
    township = this_township(ctx.session)
    return next_number(ctx.session, township, ctx.settings, doc_type=doc_type, year=on.year,
                       device_uid=ctx.session.info.get("device_uid", "")).number


# -- reading -------------------------------------------------------------------------------------------------


def get_case(uow: UnitOfWork, ref: str) -> CaseSummary:
    with uow:
        case = load_case(uow.session, ref)
        return _summary(uow.session, case)


def list_cases(uow: UnitOfWork, *, limit: int = 200) -> list[CaseSummary]:
    with uow:
        rows = uow.session.scalars(
            select(PenaltyCase).where(PenaltyCase.deleted_at.is_(None)).order_by(PenaltyCase.registered_on.desc(),
                                                                                 PenaltyCase.id.desc()).limit(limit)
            .options(selectinload(PenaltyCase.party))
        ).all()
        return [_summary(uow.session, c, detail=False) for c in rows]


def discretion_for_case(uow: UnitOfWork, ref: str, tier: DiscretionTierName) -> DiscretionSuggestion:
    """The discretion helper inside a case: its catalogue item, the party's age, the chosen tier."""
    with uow:
        case = load_case(uow.session, ref)
        if case.power_item is None:
            raise ValidationError("案件尚未关联赋权事项", field="power_item")
        age = party_age_on(case, case.act_date or uow.clock.today())
        minor = age is not None and 14 <= age < 18
        return suggest_fine(case.power_item, tier, Settings(uow.session), minor_party=minor)

