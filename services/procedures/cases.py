"""Administrative penalty cases: every procedural step with the legal guards of the 2021 Penalty Law.

Each public function is one step. It loads the case, asks the state machine (models/penalty_flow.py)
whether the step exists from the current state, checks the legal guards, records a CaseEvent, stores the
recomputed deadlines and commits. A refused step raises TransitionRefused / ValidationError and, because
the unit of work rolls back, changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from models.base import to_yuan
from models.case import CaseEvent, CaseOfficer, PenaltyCase, Transfer
from models.enums import (
    CaseSource,
    CaseStatus,
    DiscretionTierName,
    IdType,
    NoPenaltyGround,
    PartyKind,
    Procedure,
    ProposedOutcome,
    Role,
    ServiceMethod,
    TransferKind,
    label,
)
from models.identifiers import age_on, birth_date_from_id
from models.inspection import Inspection
from models.party import Party
from models.penalty_flow import ACTION_LABELS, CaseAction, IllegalTransition, allowed_actions, check_edge
from models.workdays import WorkCalendar
from services.core.errors import NotFound, TransitionRefused, ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.people.registry import officers_by_uid, require_certified
from services.procedures import deadlines as dl
from services.reference.calendar import load_calendar
from services.reference.catalogue import (
    DiscretionSuggestion,
    check_fine_in_range,
    current_item,
    scope_allows,
    suggest_fine,
)
from services.reference.numbering import next_number
from services.reference.settings import Settings
from services.reference.setup import this_township

LAW = "《中华人民共和国行政处罚法》"


# -- DTOs ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadlineInfo:
    kind: str
    label: str
    due_on: date
    provisional: bool
    met_on: date | None
    basis: str


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


def _summary(session: Session, case: PenaltyCase, *, detail: bool = True) -> CaseSummary:
    deadlines: tuple[DeadlineInfo, ...] = ()
    events: tuple[CaseEventInfo, ...] = ()
    if detail:
        deadlines = tuple(
            DeadlineInfo(d.kind.value, label(d.kind), d.due_on, d.provisional, d.met_on, d.basis)
            for d in dl.stored(session, "penalty_case", case.id)
        )
        events = tuple(
            CaseEventInfo(e.action, ACTION_LABELS.get(CaseAction(e.action), e.action) if e.action in
                          CaseAction._value2member_map_ else e.action, e.on_date, e.actor,
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
    )


# -- loading and the step machinery ---------------------------------------------------------------


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


Step = Callable[[StepContext], CaseStatus]


def _run_step(uow: UnitOfWork, ref: str, action: CaseAction, on: date, step: Step,
              permission: Permission | None = Permission.RECORD) -> CaseSummary:
    with uow:
        case = load_case(uow.session, ref)
        summary = _apply_step(uow, case, action, on, step, permission)
        uow.commit()
        return summary


def _apply_step(uow: UnitOfWork, case: PenaltyCase, action: CaseAction, on: date, step: Step,
                permission: Permission | None) -> CaseSummary:
    """Run one step on a loaded case inside the caller's open unit of work (no commit here)."""
    if uow.role is not None and permission is not None:
        require(uow.role, permission)
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
                      at=uow.clock.now(), actor=uow.actor, note=ctx.note,
                      data=json.dumps(ctx.data, ensure_ascii=False, default=str))
        )
        s.flush()
        dl.store(s, "penalty_case", case.id, dl.case_deadlines(case, ctx.settings, ctx.cal))
    return _summary(s, case)


def _refuse(message: str, rule: str = "") -> TransitionRefused:
    return TransitionRefused(message, rule)


def _number(ctx: StepContext, doc_type: str, on: date) -> str:
    township = this_township(ctx.session)
    return next_number(ctx.session, township, ctx.settings, doc_type=doc_type, year=on.year,
                       device_uid=ctx.session.info.get("device_uid", "")).number


def _party_kind(case: PenaltyCase) -> PartyKind:
    return case.party.kind if case.party else PartyKind.PERSON


def _threshold(ctx: StepContext, kind: str) -> Decimal:
    """A per-party-kind amount: the catalogue item's override if any, else the [L] setting."""
    person = _party_kind(ctx.case) is PartyKind.PERSON
    item = ctx.case.power_item
    if kind == "hearing":
        override = (item.hearing_threshold_person if person else item.hearing_threshold_org) if item else None
        return override if override is not None else ctx.settings.decimal(
            "hearing.threshold_person" if person else "hearing.threshold_org")
    override = item.major_threshold if item else None
    return override if override is not None else ctx.settings.decimal("major.fine_person" if person else "major.fine_org")


def party_age_on(case: PenaltyCase, day: date) -> int | None:
    party = case.party
    if party is None or party.kind is not PartyKind.PERSON:
        return None
    birth = party.birth_date or (birth_date_from_id(party.id_number) if party.id_type is IdType.RESIDENT_ID else None)
    return age_on(birth, day) if birth else None


def limitation_check(case: PenaltyCase, settings: Settings) -> None:
    """art.36: no penalty if not discovered within 2 years (5 for safety matters with harm)."""
    start = case.act_ended_on or case.act_date
    if start is None or case.discovered_on is None:
        raise ValidationError("请填写违法行为发生日期和发现日期（用于判断追责时效）", field="act_date")
    if case.discovered_on < start:
        raise ValidationError("发现日期不能早于违法行为发生日期", field="discovered_on")
    long = bool(case.power_item and case.power_item.safety_related and case.harmful_consequences)
    years = settings.int("limitation.years_safety" if long else "limitation.years")
    try:
        limit = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + years, day=28)
    if case.discovered_on > limit:
        raise _refuse(
            f"违法行为自{start.isoformat()}起{years}年内未被发现，已超过追责时效，不再给予行政处罚",
            f"{LAW}第三十六条",
        )


# -- the steps ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClueInput:
    cause: str
    power_item_code: str
    party_uid: str
    act_date: date
    discovered_on: date
    registered_on: date
    source: CaseSource = CaseSource.INSPECTION
    act_ended_on: date | None = None
    place: str = ""
    facts: str = ""
    harmful_consequences: bool = False
    source_inspection_uid: str | None = None


def register_clue(uow: UnitOfWork, data: ClueInput) -> CaseSummary:
    """线索登记: the case exists from here (no number yet; 立案 gives it one)."""
    with uow:
        case = _create_clue(uow, data)
        summary = _summary(uow.session, case)
        uow.commit()
        return summary


def _create_clue(uow: UnitOfWork, data: ClueInput) -> PenaltyCase:
    if uow.role is not None:
        require(uow.role, Permission.RECORD)
    s = uow.session
    if not data.cause.strip():
        raise ValidationError("请填写案由", field="cause")
    if data.registered_on > uow.clock.today():
        raise ValidationError("登记日期不能晚于今天", field="registered_on")
    if data.discovered_on < data.act_date:
        raise ValidationError("发现日期不能早于违法行为发生日期", field="discovered_on")
    party = s.scalar(select(Party).where(Party.uid == data.party_uid, Party.deleted_at.is_(None)))
    if party is None:
        raise NotFound(f"找不到当事人 {data.party_uid}")
    item = current_item(s, data.power_item_code, data.act_date)
    if not scope_allows(item, party.kind):
        raise ValidationError(f"事项 {item.code} 不适用于{label(party.kind)}，请选择对应事项", field="power_item")
    source_inspection_id = None
    if data.source_inspection_uid:
        insp = s.scalar(select(Inspection).where(Inspection.uid == data.source_inspection_uid))
        if insp is None:
            raise NotFound(f"找不到检查记录 {data.source_inspection_uid}")
        source_inspection_id = insp.id
    township = this_township(s)
    case = PenaltyCase(
        township_id=township.id, status=CaseStatus.CLUE, source=data.source, cause=data.cause.strip(),
        power_item=item, party=party, domain=item.domain, place=data.place, facts=data.facts,
        act_date=data.act_date, act_ended_on=data.act_ended_on, discovered_on=data.discovered_on,
        registered_on=data.registered_on, harmful_consequences=data.harmful_consequences,
        source_inspection_id=source_inspection_id,
    )
    with uow.action("penalty_case.register_clue"):
        s.add(case)
        s.flush()
    return case


def file_case(uow: UnitOfWork, ref: str, *, on: date, officer_uids: list[str], lead_uid: str | None = None) -> CaseSummary:
    """立案: two certified officers, within the limitation period, a catalogue item in force."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        officers = officers_by_uid(ctx.session, officer_uids)
        require_certified(officers, on, what="案件调查")
        limitation_check(case, ctx.settings)
        if on < case.registered_on:
            raise ValidationError("立案日期不能早于线索登记日期", field="on")
        case.filed_on = on
        case.number = _number(ctx, "case_filing", on)
        for o in officers:
            case.officer_links.append(CaseOfficer(officer=o, lead=(o.uid == (lead_uid or officer_uids[0]))))
        ctx.data = {"officers": officer_uids, "number": case.number}
        return CaseStatus.INVESTIGATING

    return _run_step(uow, ref, CaseAction.FILE, on, step, Permission.FILE_CASE)


def refuse_filing(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if not reason.strip():
            raise ValidationError("请填写不予立案的理由", field="reason")
        ctx.note = reason
        ctx.case.closed_on = on
        return CaseStatus.NOT_FILED

    return _run_step(uow, ref, CaseAction.REFUSE_FILING, on, step, Permission.FILE_CASE)


@dataclass(frozen=True, slots=True)
class ConclusionInput:
    outcome: ProposedOutcome
    tier: DiscretionTierName | None = None
    proposed_fine: Decimal | None = None
    reasons: str = ""
    complex_case: bool = False
    major_public_interest: bool = False
    no_penalty_ground: NoPenaltyGround | None = None


def conclude_investigation(uow: UnitOfWork, ref: str, *, on: date, data: ConclusionInput) -> CaseSummary:
    """调查终结: the proposal is checked against the statutory range, minors' rules and review triggers."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        item = case.power_item
        age = party_age_on(case, case.act_date or on)
        case.party_is_minor = age is not None and age < 18
        if data.outcome is ProposedOutcome.PENALTY:
            if age is not None and age < 14:
                raise _refuse(f"当事人违法时不满十四周岁（{age}周岁），不予行政处罚，应责令监护人加以管教",
                              f"{LAW}第三十条")
            if data.proposed_fine is None or item is None:
                raise ValidationError("拟处罚的，请填写拟罚款数额（仅警告的填0）", field="proposed_fine")
            if data.tier is None:
                raise ValidationError("请选择裁量档次", field="tier")
            if case.party_is_minor and data.tier not in (DiscretionTierName.MINOR, DiscretionTierName.MITIGATED):
                raise _refuse(f"当事人违法时已满十四周岁不满十八周岁（{age}周岁），应当从轻或者减轻处罚，"
                              "请选择“轻微”或“减轻”档次", f"{LAW}第三十条")
            fine = to_yuan(data.proposed_fine)
            check_fine_in_range(item, fine, mitigated=data.tier is DiscretionTierName.MITIGATED)
            case.proposed_fine = fine
        elif data.outcome is ProposedOutcome.NO_PENALTY and data.no_penalty_ground is None:
            raise ValidationError("拟不予处罚的，请选择不予处罚的理由", field="no_penalty_ground")
        case.proposed_outcome = data.outcome
        case.discretion_tier = data.tier
        case.discretion_reasons = data.reasons
        case.complex_case = data.complex_case
        case.major_public_interest = data.major_public_interest
        case.no_penalty_ground = data.no_penalty_ground if data.outcome is ProposedOutcome.NO_PENALTY else None
        _refresh_review_flags(ctx)
        ctx.data = {"outcome": data.outcome.value, "fine": str(case.proposed_fine or ""),
                    "tier": data.tier.value if data.tier else ""}
        return CaseStatus.REVIEWING

    return _run_step(uow, ref, CaseAction.CONCLUDE, on, step)


def _refresh_review_flags(ctx: StepContext) -> None:
    """art.58 legal review and art.57 collective discussion: which cases need them."""
    case = ctx.case
    fine = case.proposed_fine or Decimal(0)
    major = fine >= _threshold(ctx, "major") and case.proposed_outcome is ProposedOutcome.PENALTY
    case.legal_review_required = bool(
        case.major_public_interest or case.complex_case or major or case.hearing_held_on is not None
    )
    case.collective_required = bool(case.complex_case or major)


def return_for_investigation(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if not reason.strip():
            raise ValidationError("请写明需要补充调查的事项", field="reason")
        ctx.note = reason
        ctx.case.legal_review_passed_on = None
        return CaseStatus.INVESTIGATING

    return _run_step(uow, ref, CaseAction.RETURN, on, step)


def record_legal_review(uow: UnitOfWork, ref: str, *, on: date, passed: bool, opinion: str,
                        reviewer_uid: str) -> CaseSummary:
    """法制审核 (art.58): by someone who did not investigate the case; a failed review blocks the decision."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        (reviewer,) = officers_by_uid(ctx.session, [reviewer_uid])
        if any(link.officer_id == reviewer.id for link in case.officer_links):
            raise _refuse(f"{reviewer.name}是本案承办人员，不能同时进行法制审核", f"{LAW}第五十八条")
        if reviewer.role is not Role.LEGAL_REVIEWER:
            raise _refuse(f"{reviewer.name}不是法制审核人员", f"{LAW}第五十八条")
        if not opinion.strip():
            raise ValidationError("请填写法制审核意见", field="opinion")
        case.legal_review_passed_on = on if passed else None
        ctx.note = opinion
        ctx.data = {"passed": passed, "reviewer": reviewer.uid}
        return case.status

    return _run_step(uow, ref, CaseAction.LEGAL_REVIEW, on, step, Permission.LEGAL_REVIEW)


def record_collective_discussion(uow: UnitOfWork, ref: str, *, on: date, conclusion: str,
                                 participants: list[str]) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if len(participants) < 3:
            raise ValidationError("集体讨论应由行政机关负责人集体进行，请至少登记三名参加人员", field="participants")
        if not conclusion.strip():
            raise ValidationError("请填写集体讨论结论", field="conclusion")
        ctx.case.collective_discussed_on = on
        ctx.note = conclusion
        ctx.data = {"participants": participants}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.COLLECTIVE, on, step, Permission.DECIDE)


def give_prior_notice(uow: UnitOfWork, ref: str, *, on: date, fine: Decimal | None = None) -> CaseSummary:
    """事先告知 (art.44): fixes the intended penalty; hearing rights follow from the thresholds (art.63)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if case.proposed_outcome is not ProposedOutcome.PENALTY:
            raise _refuse("调查终结意见不是给予行政处罚，无需事先告知", f"{LAW}第四十四条")
        amount = to_yuan(fine) if fine is not None else case.proposed_fine
        if amount is None:
            raise ValidationError("请填写拟罚款数额", field="fine")
        if case.power_item is not None:
            check_fine_in_range(case.power_item, amount, mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)
        case.notified_fine = amount
        case.proposed_fine = amount
        case.notified_on = on
        case.hearing_rights = amount >= _threshold(ctx, "hearing")
        case.notice_number = _number(ctx, "prior_notice", on)
        _refresh_review_flags(ctx)
        ctx.data = {"fine": str(amount), "hearing_rights": case.hearing_rights, "number": case.notice_number}
        return CaseStatus.NOTIFIED

    return _run_step(uow, ref, CaseAction.NOTIFY, on, step)


def record_statement(uow: UnitOfWork, ref: str, *, on: date, text: str, adopted: bool,
                     new_fine: Decimal | None = None) -> CaseSummary:
    """陈述申辩 and 复核 (art.45): the penalty may fall, never rise, because the party defended."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if not text.strip():
            raise ValidationError("请记录当事人陈述申辩的内容", field="text")
        if new_fine is not None:
            amount = to_yuan(new_fine)
            if case.notified_fine is not None and amount > case.notified_fine:
                raise _refuse(f"拟罚款{amount}元高于告知的{case.notified_fine}元：不得因当事人陈述申辩而加重处罚",
                              f"{LAW}第四十五条")
            if case.power_item is not None:
                check_fine_in_range(case.power_item, amount,
                                    mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)
            case.proposed_fine = amount
        ctx.note = text
        ctx.data = {"adopted": adopted, "new_fine": str(new_fine) if new_fine is not None else ""}
        return case.status

    return _run_step(uow, ref, CaseAction.STATEMENT, on, step)


def waive_statement(uow: UnitOfWork, ref: str, *, on: date, written: bool) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if not written:
            raise _refuse("放弃陈述申辩和听证的，须有当事人书面明确表示", f"{LAW}第六十二条")
        ctx.case.statement_waived = True
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.WAIVE, on, step)


def request_hearing(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if not case.hearing_rights:
            raise _refuse("拟作出的处罚未达到听证标准，当事人不享有听证权利", f"{LAW}第六十三条")
        assert case.notified_on is not None
        due = dl.hearing_request_deadline(case.notified_on, ctx.settings, ctx.cal)
        if on > due.due:
            raise _refuse(f"听证申请期限已于{due.due.isoformat()}届满（告知后五个工作日内）", f"{LAW}第六十四条")
        case.hearing_requested_on = on
        return CaseStatus.HEARING

    return _run_step(uow, ref, CaseAction.REQUEST_HEARING, on, step)


def record_hearing(uow: UnitOfWork, ref: str, *, on: date, party_attended: bool, minutes: str,
                   notice_served_on: date | None = None) -> CaseSummary:
    """听证 (art.64): notice ≥7 working days ahead; an unjustified absence counts as waiver."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if party_attended:
            if notice_served_on is None:
                raise ValidationError("请填写听证通知书送达日期", field="notice_served_on")
            if ctx.cal.workdays_between(notice_served_on, on) < 7:
                raise _refuse("听证通知应当在举行听证的七个工作日前送达", f"{LAW}第六十四条第（二）项")
            if not minutes.strip():
                raise ValidationError("请录入听证笔录要点", field="minutes")
            case.hearing_held_on = on
            _refresh_review_flags(ctx)
        ctx.note = minutes or "当事人无正当理由拒不出席听证，视为放弃听证权利"
        ctx.data = {"attended": party_attended}
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.HOLD_HEARING, on, step)


def end_statement_period(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        assert case.notified_on is not None
        due = dl.statement_deadline(case.notified_on, ctx.settings, ctx.cal)
        if case.hearing_rights:
            hd = dl.hearing_request_deadline(case.notified_on, ctx.settings, ctx.cal)
            due = max(due, hd, key=lambda d: d.due)
        if on <= due.due:
            raise _refuse(f"陈述申辩（听证申请）期限至{due.due.isoformat()}，期满后方可进入决定环节",
                          f"{LAW}第四十四条、第六十二条")
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.END_STATEMENT, on, step)


def _check_limit(ctx: StepContext, on: date) -> None:
    limit = dl.decision_limit(ctx.case, ctx.settings, ctx.cal)
    if limit is not None and on > limit.due:
        raise _refuse(f"已超过办案期限（{limit.due.isoformat()}），请先办理延期审批", f"{LAW}第六十条")


def decide_penalty(uow: UnitOfWork, ref: str, *, on: date, fine: Decimal, confiscation: Decimal | None = None,
                   warning_only: bool = False) -> CaseSummary:
    """处罚决定 (art.57-59)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        amount = to_yuan(fine)
        if case.notified_fine is not None and amount > case.notified_fine:
            raise _refuse(f"决定罚款{amount}元高于事先告知的{case.notified_fine}元，须重新告知；"
                          "且不得因当事人陈述申辩而加重处罚", f"{LAW}第四十四条、第四十五条")
        if case.power_item is not None:
            check_fine_in_range(case.power_item, amount, mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)
        _refresh_review_flags(ctx)
        if case.legal_review_required:
            if case.legal_review_passed_on is None:
                raise _refuse("本案属于重大执法决定，须经法制审核通过后方可作出决定", f"{LAW}第五十八条")
            if case.hearing_held_on is not None and case.legal_review_passed_on < case.hearing_held_on:
                raise _refuse("经过听证的案件，法制审核须在听证之后进行", f"{LAW}第五十八条第一款第（二）项")
        if case.collective_required and case.collective_discussed_on is None:
            raise _refuse("情节复杂或者重大违法行为给予行政处罚，须经负责人集体讨论决定", f"{LAW}第五十七条第二款")
        age = party_age_on(case, case.act_date or on)
        if age is not None and age < 14:
            raise _refuse("当事人违法时不满十四周岁，不予行政处罚", f"{LAW}第三十条")
        _check_limit(ctx, on)
        if case.notified_on is not None and on < case.notified_on:
            raise ValidationError("决定日期不能早于事先告知日期", field="on")
        case.decision_date = on
        case.fine_amount = amount
        case.confiscation_amount = to_yuan(confiscation) if confiscation else None
        case.warning_only = warning_only or amount == 0
        case.decision_number = _number(ctx, "penalty_decision", on)
        ctx.data = {"fine": str(amount), "number": case.decision_number}
        return CaseStatus.DECIDED

    return _run_step(uow, ref, CaseAction.DECIDE, on, step, Permission.DECIDE)


def decide_no_penalty(uow: UnitOfWork, ref: str, *, on: date, ground: NoPenaltyGround, reasons: str) -> CaseSummary:
    """不予行政处罚 (art.30, 31, 33, 36, 57); the party is educated (art.33 ¶3)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if not reasons.strip():
            raise ValidationError("请写明不予处罚的事实和理由（含对当事人的教育情况）", field="reasons")
        if ground is NoPenaltyGround.UNDER_14:
            age = party_age_on(case, case.act_date or on)
            if age is None or age >= 14:
                raise _refuse("当事人违法时并非不满十四周岁，不能以此为由不予处罚", f"{LAW}第三十条")
        _check_limit(ctx, on)
        case.no_penalty_ground = ground
        case.decision_date = on
        case.decision_number = _number(ctx, "no_penalty_decision", on)
        ctx.note = reasons
        ctx.data = {"ground": ground.value, "number": case.decision_number}
        return CaseStatus.NO_PENALTY

    return _run_step(uow, ref, CaseAction.DECIDE_NO_PENALTY, on, step, Permission.DECIDE)


def transfer_case(uow: UnitOfWork, ref: str, *, on: date, kind: TransferKind, receiving_org: str, reason: str,
                  memo_reference: str = "", materials: str = "") -> CaseSummary:
    """移送: to the police when a crime is suspected (art.27), or to the competent department."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if not receiving_org.strip() or not reason.strip():
            raise ValidationError("请填写接收机关和移送理由", field="receiving_org")
        number = _number(ctx, "transfer", on)
        ctx.session.add(Transfer(
            township_id=case.township_id, kind=kind, case_id=case.id, receiving_org=receiving_org.strip(),
            memo_reference=memo_reference, reason=reason, materials=materials, number=number, transferred_on=on,
        ))
        case.closed_on = None
        ctx.note = reason
        ctx.data = {"kind": kind.value, "to": receiving_org, "number": number}
        return CaseStatus.TRANSFERRED

    return _run_step(uow, ref, CaseAction.TRANSFER, on, step, Permission.DECIDE)


def serve_decision(uow: UnitOfWork, ref: str, *, on: date, method: ServiceMethod, recipient: str = "") -> CaseSummary:
    """送达 (art.61): the date signed is the service date; payment runs from it."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        assert case.decision_date is not None
        if on < case.decision_date:
            raise ValidationError("送达日期不能早于决定日期", field="on")
        if method is ServiceMethod.ELECTRONIC:
            ctx.note = "当事人已签署电子送达确认书"
        case.served_on = on
        case.service_method = method
        ctx.data = {"method": method.value, "recipient": recipient}
        owes = (case.fine_amount or 0) > 0 or (case.confiscation_amount or 0) > 0
        return CaseStatus.EXECUTING if case.status is CaseStatus.DECIDED and owes else CaseStatus.EXECUTED

    return _run_step(uow, ref, CaseAction.SERVE, on, step)


def record_payment(uow: UnitOfWork, ref: str, *, on: date, amount: Decimal, receipt_number: str) -> CaseSummary:
    """罚缴分离 (art.67): payment by bank receipt; surcharge 3 %/day after the due date, capped (art.72)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        paid = to_yuan(amount)
        if paid <= 0:
            raise ValidationError("缴款金额必须大于0", field="amount")
        if not receipt_number.strip():
            raise ValidationError("请填写缴款凭证或财政票据号码（罚缴分离）", field="receipt_number")
        fine = case.fine_amount or Decimal(0)
        owed_surcharge = Decimal(0)
        if case.served_on is not None and case.procedure is Procedure.GENERAL:
            due = dl.payment_deadline(case.served_on, ctx.settings, ctx.cal).due
            owed_surcharge = dl.surcharge(fine, due, on, ctx.settings)
        # Money already received, fine first then surcharge: instalments keep adding to both.
        received = (case.paid_amount or Decimal(0)) + (case.surcharge_paid or Decimal(0))
        total_paid = received + paid
        if total_paid > fine + owed_surcharge:
            raise ValidationError(f"缴款合计{total_paid}元超过应缴{fine + owed_surcharge}元", field="amount")
        case.paid_amount = min(total_paid, fine)
        case.surcharge_paid = total_paid - case.paid_amount if total_paid > fine else None
        case.paid_on = on
        case.receipt_number = receipt_number.strip()
        ctx.data = {"amount": str(paid), "surcharge_due": str(owed_surcharge), "receipt": receipt_number}
        if total_paid >= fine + owed_surcharge:
            return CaseStatus.EXECUTED
        return case.status

    return _run_step(uow, ref, CaseAction.PAY, on, step)


def start_enforcement(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        assert case.served_on is not None
        due = dl.payment_deadline(case.served_on, ctx.settings, ctx.cal).due
        if on <= due:
            raise _refuse(f"缴款期限至{due.isoformat()}，期满未缴方可催告和申请强制执行", f"{LAW}第七十二条")
        case.enforcement_started_on = on
        return CaseStatus.ENFORCING

    return _run_step(uow, ref, CaseAction.ENFORCE, on, step, Permission.DECIDE)


def close_case(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if case.procedure is Procedure.SUMMARY:
            if (case.fine_amount or 0) > 0 and (case.paid_amount or 0) < (case.fine_amount or 0):
                raise _refuse("当场处罚罚款尚未缴清，不能结案", f"{LAW}第六十七条")
            if case.summary_filed_on is None:
                raise _refuse("当场处罚决定尚未备案，不能结案", f"{LAW}第五十二条")
        case.closed_on = on
        return CaseStatus.CLOSED

    return _run_step(uow, ref, CaseAction.CLOSE, on, step, Permission.DECIDE)


def archive_case(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        ctx.case.archived_on = on
        return CaseStatus.ARCHIVED

    return _run_step(uow, ref, CaseAction.ARCHIVE, on, step)


def disclose(uow: UnitOfWork, ref: str, *, on: date, channel: str = "政府门户网站") -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        assert case.decision_date is not None
        if on < case.decision_date:
            raise ValidationError("公示日期不能早于决定日期", field="on")
        case.disclosed_on = on
        ctx.data = {"channel": channel}
        return case.status

    return _run_step(uow, ref, CaseAction.DISCLOSE, on, step)


def terminate_case(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if not reason.strip():
            raise ValidationError("请写明终止理由（如当事人死亡、法人终止等）", field="reason")
        ctx.case.terminated_reason = reason.strip()
        ctx.case.closed_on = on
        ctx.note = reason
        return CaseStatus.TERMINATED

    return _run_step(uow, ref, CaseAction.TERMINATE, on, step, Permission.DECIDE)


def extend_limit(uow: UnitOfWork, ref: str, *, on: date, days: int, approver: str, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        cap = ctx.settings.int("decision.max_extension_days")
        if days <= 0 or days > cap:
            raise ValidationError(f"每次延长期限应在1至{cap}日之间", field="days")
        if not approver.strip() or not reason.strip():
            raise ValidationError("延期须写明理由并经负责人批准", field="approver")
        limit = dl.decision_limit(ctx.case, ctx.settings, ctx.cal)
        if limit is not None and on > limit.due:
            raise _refuse(f"办案期限已于{limit.due.isoformat()}届满，应在期限届满前办理延期", f"{LAW}第六十条")
        ctx.case.extension_days += days
        ctx.note = reason
        ctx.data = {"days": days, "approver": approver}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.EXTEND, on, step, Permission.DECIDE)


def record_suspension(uow: UnitOfWork, ref: str, *, on: date, days: int, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if days <= 0:
            raise ValidationError("不计入办案期限的天数必须大于0", field="days")
        if not reason.strip():
            raise ValidationError("请写明事由（听证、检测、检验、鉴定等）", field="reason")
        ctx.case.suspended_days += days
        ctx.note = reason
        ctx.data = {"days": days}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.SUSPEND, on, step)


# -- on-the-spot procedure (art.51-52) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryInput:
    party_uid: str
    power_item_code: str
    officer_uids: list[str]
    act_date: date
    decided_on: date
    fine: Decimal
    cause: str
    place: str
    facts: str
    paid_on_spot: bool = False
    receipt_number: str = ""


def summary_penalty(uow: UnitOfWork, data: SummaryInput) -> CaseSummary:
    """当场处罚: warning or a small fine (≤200 yuan person / ≤3,000 organisation), decided on the spot."""
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        case.procedure = Procedure.SUMMARY
        officers = officers_by_uid(ctx.session, data.officer_uids)
        require_certified(officers, data.decided_on, minimum=ctx.settings.int("summary.min_officers"), what="当场处罚")
        fine = to_yuan(data.fine)
        person = _party_kind(case) is PartyKind.PERSON
        cap = ctx.settings.decimal("summary.max_fine_person" if person else "summary.max_fine_org")
        if fine > cap:
            raise _refuse(f"当场处罚的罚款不得超过{cap}元（{'公民' if person else '法人或其他组织'}），"
                          "应适用普通程序", f"{LAW}第五十一条")
        if case.power_item is not None:
            check_fine_in_range(case.power_item, fine)
        if data.paid_on_spot:
            cash_cap = ctx.settings.decimal("summary.cash_max")
            if fine > cash_cap:
                raise _refuse(f"当场收缴罚款限于{cash_cap}元以下，其余应到指定银行缴纳", f"{LAW}第六十八条")
            if not data.receipt_number.strip():
                raise ValidationError("当场收缴罚款必须出具财政部门统一制发的专用票据，请填写票据号", field="receipt_number")
        for o in officers:
            case.officer_links.append(CaseOfficer(officer=o, lead=o.uid == data.officer_uids[0]))
        case.decision_date = data.decided_on
        case.served_on = data.decided_on
        case.service_method = ServiceMethod.DIRECT
        case.fine_amount = fine
        case.warning_only = fine == 0
        case.decision_number = _number(ctx, "summary_decision", data.decided_on)
        case.number = case.decision_number
        if data.paid_on_spot:
            case.paid_amount = fine
            case.paid_on = data.decided_on
            case.receipt_number = data.receipt_number
        ctx.data = {"fine": str(fine), "number": case.decision_number, "paid_on_spot": data.paid_on_spot}
        return CaseStatus.SUMMARY_DECIDED

    with uow:
        case = _create_clue(uow, ClueInput(
            cause=data.cause, power_item_code=data.power_item_code, party_uid=data.party_uid,
            act_date=data.act_date, discovered_on=data.decided_on, registered_on=data.decided_on,
            source=CaseSource.INSPECTION, place=data.place, facts=data.facts,
        ))
        summary = _apply_step(uow, case, CaseAction.SUMMARY_DECIDE, data.decided_on, step, Permission.RECORD)
        uow.commit()
        return summary


def file_summary(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        ctx.case.summary_filed_on = on
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.SUMMARY_FILE, on, step)


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
