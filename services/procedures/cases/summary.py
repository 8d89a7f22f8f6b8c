"""Penalty cases, the on-the-spot procedure (当场处罚, 《中华人民共和国行政处罚法》第五十一条、第五十二条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.base import to_yuan
from models.case import CaseOfficer
from models.enums import CaseSource, CaseStatus, Procedure, ServiceMethod
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.registry import officers_by_uid
from services.procedures import case_rules as rules
from services.procedures.cases.common import (
    CaseSummary,
    StepContext,
    _apply_step,
    _number,
    _run_step,
)
from services.procedures.cases.investigation import ClueInput, _create_clue
from services.procedures.cases.legal import summary_refusal


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
    # 噪声污染防治法第八十二条 items: persuaded, ordered to correct (number) and refused, before the decision
    ordered_on: date | None = None
    order_number: str = ""
    refusal_facts: str = ""


def summary_penalty(uow: UnitOfWork, data: SummaryInput) -> CaseSummary:
    """当场处罚: warning or a small fine (≤200 yuan person / ≤3,000 organisation), decided on the spot."""
    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        case.procedure = Procedure.SUMMARY
        officers = officers_by_uid(ctx.session, data.officer_uids)
        fine = to_yuan(data.fine)
        rules.check_summary(case, officers, data.decided_on, fine, data.paid_on_spot, data.receipt_number, ctx.settings)
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
        summary_refusal(ctx, data.decided_on, data.ordered_on, data.order_number, data.refusal_facts)
        return CaseStatus.SUMMARY_DECIDED

    with uow:
        case = _create_clue(uow, ClueInput(
            cause=data.cause, power_item_code=data.power_item_code, party_uid=data.party_uid,
            act_date=data.act_date, discovered_on=data.decided_on, registered_on=data.decided_on,
            source=CaseSource.INSPECTION, place=data.place, facts=data.facts,
        ))
        summary = _apply_step(uow, case, CaseAction.SUMMARY_DECIDE, data.decided_on, step)
        uow.commit()
        return summary


def file_summary(uow: UnitOfWork, ref: str, *, on: date) -> CaseSummary:
    def step(ctx: StepContext) -> CaseStatus:
        if ctx.case.procedure is not Procedure.SUMMARY:
            raise ValidationError("备案只适用于当场作出的行政处罚决定（简易程序）", field="action")
        ctx.case.summary_filed_on = on
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.SUMMARY_FILE, on, step)

