"""Penalty cases after the decision: 送达, 缴款, 强制执行, 结案, 归档, 公示."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.enums import CaseStatus, Procedure, ServiceMethod
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures import deadlines as dl
from services.procedures.cases.common import LAW, CaseSummary, StepContext, _refuse, _run_step


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

    return _run_step(uow, ref, CaseAction.ENFORCE, on, step)


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

    return _run_step(uow, ref, CaseAction.CLOSE, on, step)


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

