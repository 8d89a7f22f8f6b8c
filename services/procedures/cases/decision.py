"""Penalty cases, the decision and the case limit: 处罚决定, 不予处罚, 移送, 终止, 延期, 不计入期限的期间."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.case import Transfer
from models.enums import CaseStatus, NoPenaltyGround, TransferKind
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError, required
from services.core.uow import UnitOfWork
from services.procedures import case_rules as rules
from services.procedures.cases.common import (
    CaseSummary,
    StepContext,
    _number,
    _run_step,
)
from services.procedures.cases.legal import guard_first_violation, guard_penalty
from services.procedures.records.evidence_rule import require_evidence


def decide_penalty(uow: UnitOfWork, ref: str, *, on: date, fine: Decimal, confiscation: Decimal | None = None,
                   warning_only: bool = False) -> CaseSummary:
    """处罚决定 (art.57-59)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        amount = to_yuan(fine)
        rules.check_decision(case, on, amount, ctx.settings, ctx.cal)
        guard_penalty(ctx, "作出行政处罚决定")
        require_evidence(ctx.session, case)  # art.59(二): the decision lists its evidence
        case.decision_date = on
        case.fine_amount = amount
        case.confiscation_amount = to_yuan(confiscation) if confiscation else None
        case.warning_only = warning_only or amount == 0
        case.decision_number = _number(ctx, "penalty_decision", on)
        ctx.data = {"fine": str(amount), "number": case.decision_number}
        return CaseStatus.DECIDED

    return _run_step(uow, ref, CaseAction.DECIDE, on, step)


def decide_no_penalty(uow: UnitOfWork, ref: str, *, on: date, ground: NoPenaltyGround, reasons: str) -> CaseSummary:
    """不予行政处罚 (art.30, 31, 33, 36, 57); the party is educated (art.33 ¶3)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        required(reasons, "请写明不予处罚的事实和理由（含对当事人的教育情况）", field="reasons")
        rules.check_no_penalty(case, on, ground, ctx.settings, ctx.cal)
        guard_first_violation(ctx, on, ground)
        case.no_penalty_ground = ground
        case.decision_date = on
        case.decision_number = _number(ctx, "no_penalty_decision", on)
        ctx.note = reasons
        ctx.data = {"ground": ground.value, "number": case.decision_number}
        return CaseStatus.NO_PENALTY

    return _run_step(uow, ref, CaseAction.DECIDE_NO_PENALTY, on, step)


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

    return _run_step(uow, ref, CaseAction.TRANSFER, on, step)


def terminate_case(uow: UnitOfWork, ref: str, *, on: date, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        ctx.note = required(reason, "请写明终止理由（如当事人死亡、法人终止等）", field="reason")
        ctx.case.terminated_reason = reason.strip()
        ctx.case.closed_on = on
        return CaseStatus.TERMINATED

    return _run_step(uow, ref, CaseAction.TERMINATE, on, step)


def extend_limit(uow: UnitOfWork, ref: str, *, on: date, days: int, approver: str, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if not approver.strip() or not reason.strip():
            raise ValidationError("延期须写明理由并经负责人批准", field="approver")
        rules.check_extension(ctx.case, on, days, ctx.settings, ctx.cal)
        ctx.case.extension_days += days
        ctx.note = reason
        ctx.data = {"days": days, "approver": approver}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.EXTEND, on, step)


def record_suspension(uow: UnitOfWork, ref: str, *, on: date, days: int, reason: str) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if days <= 0:
            raise ValidationError("不计入办案期限的天数必须大于0", field="days")
        ctx.note = required(reason, "请写明事由（听证、检测、检验、鉴定等）", field="reason")
        ctx.case.suspended_days += days
        ctx.data = {"days": days}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.SUSPEND, on, step)

