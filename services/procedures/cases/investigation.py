"""Penalty cases from the clue to the review: 线索登记, 立案, 调查终结, 法制审核, 集体讨论."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from models.base import to_yuan
from models.case import CaseOfficer, PenaltyCase
from models.enums import CaseSource, CaseStatus, DiscretionTierName, NoPenaltyGround, ProposedOutcome
from models.inspection import Inspection
from models.labels import label
from models.party import Party
from models.penalty_flow import CaseAction
from services.core.errors import NotFound, ValidationError, raise_first, required
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.people.registry import officers_by_uid
from services.procedures import case_rules as rules
from services.procedures import guard_rails
from services.procedures import legal_guards as lg
from services.procedures.cases.common import (
    CaseSummary,
    StepContext,
    _number,
    _run_step,
    _summary,
)
from services.reference.catalogue import current_item, scope_allows
from services.reference.setup import this_township


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


def clue_problems(data: ClueInput, today: date) -> dict[str, str]:
    """Every problem of the clue form's own rules at once (field -> message), without the database: the form checks
    a field when it is left and lists them all on 保存."""
    out: dict[str, str] = {}
    if not data.cause.strip():
        out["cause"] = "请填写案由"
    if data.registered_on > today:
        out["registered_on"] = "登记日期不能晚于今天"
    if data.discovered_on < data.act_date:
        out["discovered_on"] = "发现日期不能早于违法行为发生日期"
    return out


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
    raise_first(clue_problems(data, uow.clock.today()))
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
        rules.check_filing(case, officers, on, ctx.settings)
        case.filed_on = on
        case.number = _number(ctx, "case_filing", on)
        for o in officers:
            case.officer_links.append(CaseOfficer(officer=o, lead=(o.uid == (lead_uid or officer_uids[0]))))
        ctx.data = {"officers": officer_uids, "number": case.number}
        return CaseStatus.INVESTIGATING

    return _run_step(uow, ref, CaseAction.FILE, on, step)


def refuse_filing(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        ctx.note = required(reason, "请填写不予立案的理由", field="reason")
        ctx.case.closed_on = on
        return CaseStatus.NOT_FILED

    return _run_step(uow, ref, CaseAction.REFUSE_FILING, on, step)


@dataclass(frozen=True, slots=True)
class ConclusionInput:
    outcome: ProposedOutcome
    tier: DiscretionTierName | None = None
    proposed_fine: Decimal | None = None
    reasons: str = ""
    complex_case: bool = False
    major_public_interest: bool = False
    no_penalty_ground: NoPenaltyGround | None = None
    deviation: str = ""  # why the fine lies outside the tier's band (services/procedures/guard_rails.py)


def conclude_investigation(uow: UnitOfWork, ref: str, *, on: date, data: ConclusionInput) -> CaseSummary:
    """调查终结: the proposal is checked against the statutory range, minors' rules and review triggers."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        fine = to_yuan(data.proposed_fine) if data.proposed_fine is not None else None
        case.party_is_minor = rules.check_conclusion(case, on, data.outcome, data.tier, fine, data.no_penalty_ground)
        if data.outcome is ProposedOutcome.PENALTY:
            case.proposed_fine = fine
        case.proposed_outcome = data.outcome
        case.discretion_tier = data.tier
        case.discretion_reasons = guard_rails.band_reason(
            case, data.tier, fine, data.reasons, data.deviation, ctx.settings, minor_party=case.party_is_minor
        ) if data.outcome is ProposedOutcome.PENALTY else data.reasons
        case.complex_case = data.complex_case
        case.major_public_interest = data.major_public_interest
        case.no_penalty_ground = data.no_penalty_ground if data.outcome is ProposedOutcome.NO_PENALTY else None
        rules.refresh_review_flags(case, ctx.settings)
        ctx.data = {"outcome": data.outcome.value, "fine": str(case.proposed_fine or ""),
                    "tier": data.tier.value if data.tier else ""}
        return CaseStatus.REVIEWING

    return _run_step(uow, ref, CaseAction.CONCLUDE, on, step)


def return_for_investigation(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        ctx.note = required(reason, "请写明需要补充调查的事项", field="reason")
        ctx.case.legal_review_passed_on = None
        return CaseStatus.INVESTIGATING

    return _run_step(uow, ref, CaseAction.RETURN, on, step)


def record_legal_review(uow: UnitOfWork, ref: str, *, on: date, passed: bool, opinion: str,
                        reviewer_uid: str) -> CaseSummary:
    """法制审核 (art.58): by someone who did not investigate the case; a failed review blocks the decision."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        (reviewer,) = officers_by_uid(ctx.session, [reviewer_uid])
        rules.check_legal_reviewer(reviewer, (link.officer_id for link in case.officer_links))
        lg.check_review_dates(case, on, CaseAction.LEGAL_REVIEW)
        required(opinion, "请填写法制审核意见", field="opinion")
        case.legal_review_passed_on = on if passed else None
        ctx.note = opinion
        ctx.data = {"passed": passed, "reviewer": reviewer.uid}
        return case.status

    return _run_step(uow, ref, CaseAction.LEGAL_REVIEW, on, step)


def record_collective_discussion(uow: UnitOfWork, ref: str, *, on: date, conclusion: str,
                                 participants: list[str]) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        rules.check_collective(participants)
        lg.check_review_dates(ctx.case, on, CaseAction.COLLECTIVE)
        required(conclusion, "请填写集体讨论结论", field="conclusion")
        ctx.case.collective_discussed_on = on
        ctx.note = conclusion
        ctx.data = {"participants": participants}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.COLLECTIVE, on, step)

