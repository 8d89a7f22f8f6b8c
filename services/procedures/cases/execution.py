"""Penalty cases after the decision: 送达, 缴款, 强制执行, 结案, 归档, 公示."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.enums import CaseStatus, ServiceMethod
from models.penalty_flow import CaseAction
from services.core.uow import UnitOfWork
from services.procedures import case_rules as rules
from services.procedures import guard_rails
from services.procedures import legal_guards as lg
from services.procedures.cases.common import CaseSummary, StepContext, _run_step


def serve_decision(uow: UnitOfWork, ref: str, *, on: date, method: ServiceMethod, recipient: str = "",
                   late_reason: str = "") -> CaseSummary:
    """送达 (art.61): the date signed is the service date; payment runs from it. Electronic service only with the
    party's recorded consent; later than the [L] working days only with a recorded reason."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        rules.check_dated_after_decision(case, on, "送达")
        late = lg.check_service_in_time(case, on, late_reason, ctx.settings, ctx.cal)
        ctx.data = {"method": method.value, "recipient": recipient}
        if method is ServiceMethod.ELECTRONIC:
            consent = lg.check_electronic_service(case, on)
            ctx.note = f"当事人同意电子送达并签订确认书，确认的送达地址：{consent['address']}"
            ctx.data.update(address=consent["address"])
        if late:
            ctx.data.update(late_reason=late_reason.strip())
            ctx.note = "；".join(x for x in (ctx.note, f"逾期送达原因：{late_reason.strip()}") if x)
        case.served_on = on
        case.service_method = method
        return rules.status_after_service(case)

    return _run_step(uow, ref, CaseAction.SERVE, on, step)


def record_payment(uow: UnitOfWork, ref: str, *, on: date, amount: Decimal, receipt_number: str) -> CaseSummary:
    """罚缴分离 (art.67): payment by bank receipt; surcharge 3 %/day after the due date, capped (art.72)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        paid = to_yuan(amount)
        owed_surcharge = rules.surcharge_owed(case, on, ctx.settings, ctx.cal)
        target = rules.apply_payment(case, paid, receipt_number, owed_surcharge)
        case.paid_on = on
        case.receipt_number = receipt_number.strip()
        ctx.data = {"amount": str(paid), "surcharge_due": str(owed_surcharge), "receipt": receipt_number}
        return target

    return _run_step(uow, ref, CaseAction.PAY, on, step)


def start_enforcement(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        rules.check_enforcement(case, on, ctx.settings, ctx.cal)
        case.enforcement_started_on = on
        return CaseStatus.ENFORCING

    return _run_step(uow, ref, CaseAction.ENFORCE, on, step)


def close_case(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        rules.check_close(case)
        guard_rails.check_closing_documents(ctx.session, case, ctx.settings)
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
        rules.check_dated_after_decision(case, on, "公示")
        case.disclosed_on = on
        ctx.data = {"channel": channel}
        return case.status

    return _run_step(uow, ref, CaseAction.DISCLOSE, on, step)

