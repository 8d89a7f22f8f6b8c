"""Penalty cases, the party's rights: 事先告知, 陈述申辩, 听证 (《中华人民共和国行政处罚法》第四十四条至第六十五条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.enums import CaseStatus, DiscretionTierName, ProposedOutcome
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures import deadlines as dl
from services.procedures.cases.common import (
    LAW,
    CaseSummary,
    StepContext,
    _number,
    _refresh_review_flags,
    _refuse,
    _run_step,
    _threshold,
)
from services.reference.catalogue import check_fine_in_range


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

