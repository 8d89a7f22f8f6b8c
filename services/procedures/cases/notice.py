"""Penalty cases, the party's rights: 事先告知, 陈述申辩, 听证 (《中华人民共和国行政处罚法》第四十四条至第六十五条)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.enums import CaseStatus
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures import case_rules as rules
from services.procedures import legal_guards as lg
from services.procedures.cases.common import (
    CaseSummary,
    StepContext,
    _number,
    _run_step,
)
from services.procedures.cases.legal import guard_penalty


def give_prior_notice(uow: UnitOfWork, ref: str, *, on: date, fine: Decimal | None = None,
                      kinds: Iterable[str] = (), confiscation: Decimal | None = None) -> CaseSummary:
    """事先告知 (art.44): fixes the intended penalty; hearing rights follow from the fine, the confiscation and the
    other kinds of penalty proposed (art.63; ``kinds`` from legal_guards.HEARING_KINDS)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        amount = rules.check_notice(case, to_yuan(fine) if fine is not None else case.proposed_fine)
        lg.check_review_dates(case, on, CaseAction.NOTIFY)
        guard_penalty(ctx, "事先告知拟作出的行政处罚")
        heavy = lg.check_penalty_kinds(kinds)
        taken = to_yuan(confiscation) if confiscation else None
        case.notified_fine = amount
        case.proposed_fine = amount
        case.notified_on = on
        case.hearing_rights = (rules.hearing_rights(case, amount, ctx.settings)
                               or lg.hearing_by_kind(case, heavy, taken, ctx.settings))
        case.notice_number = _number(ctx, "prior_notice", on)
        rules.refresh_review_flags(case, ctx.settings)
        ctx.data = {"fine": str(amount), "hearing_rights": case.hearing_rights, "number": case.notice_number}
        if heavy or taken:
            ctx.data.update(kinds=list(heavy), confiscation=str(taken) if taken else "")
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
            rules.check_statement_fine(case, amount)
            case.proposed_fine = amount
        ctx.note = text
        ctx.data = {"adopted": adopted, "new_fine": str(new_fine) if new_fine is not None else ""}
        return case.status

    return _run_step(uow, ref, CaseAction.STATEMENT, on, step)


def waive_statement(uow: UnitOfWork, ref: str, *, on: date, written: bool) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        rules.check_waiver(written)
        ctx.case.statement_waived = True
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.WAIVE, on, step)


def request_hearing(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        rules.check_hearing_request(case, on, ctx.settings, ctx.cal)
        case.hearing_requested_on = on
        return CaseStatus.HEARING

    return _run_step(uow, ref, CaseAction.REQUEST_HEARING, on, step)


def record_hearing(uow: UnitOfWork, ref: str, *, on: date, party_attended: bool, minutes: str) -> CaseSummary:
    """听证 (art.64): held on the date the 听证通知书 set (schedule_hearing); an unjustified absence counts as waiver."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        lg.check_hearing_held_as_scheduled(case, on)
        if party_attended:
            if not minutes.strip():
                raise ValidationError("请录入听证笔录要点", field="minutes")
            case.hearing_held_on = on
            rules.refresh_review_flags(case, ctx.settings)
        ctx.note = minutes or "当事人无正当理由拒不出席听证，视为放弃听证权利"
        ctx.data = {"attended": party_attended}
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.HOLD_HEARING, on, step)


def end_statement_period(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        rules.check_statement_period_over(ctx.case, on, ctx.settings, ctx.cal)
        return CaseStatus.PENDING_DECISION

    return _run_step(uow, ref, CaseAction.END_STATEMENT, on, step)

