"""Penalty cases, the records the law requires before a later step may follow (issue 16, point 5).

责令改正及拒不改正 (噪声污染防治法第八十二条), 不予处罚情形 (第三十三条第一款、第三十一条), 电子送达确认
(第六十一条第二款), 听证通知 (第六十四条第（二）项), 行政复议/行政诉讼 (第七十三条) and 申请法院强制执行
(行政强制法第五十三条、第五十四条). Each is a step of its own (a CaseEvent whose details carry the record), so the
documents and the case file read them like any other step; the guards are in services/procedures/legal_guards.py.
The hooks other steps call (``guard_*``) are at the end of this module.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from models.case import PenaltyCase
from models.catalogue import PowerItem
from models.enums import CaseStatus, NoPenaltyGround
from models.penalty_flow import CaseAction
from services.core.errors import TransitionRefused, ValidationError
from services.core.uow import UnitOfWork
from services.procedures import legal_guards as lg
from services.procedures.cases.common import CaseSummary, StepContext, _run_step
from services.reference.catalogue import statute_facts


def record_refusal(uow: UnitOfWork, ref: str, *, on: date, educated: bool, ordered_on: date, order_number: str,
                   refused_on: date, facts: str, deadline: date | None = None) -> CaseSummary:
    """说服教育, 责令改正 and the party's refusal: the precondition of a penalty under 噪声污染防治法第八十二条."""

    def step(ctx: StepContext) -> CaseStatus:
        lg.check_refusal_input(on=on, ordered_on=ordered_on, order_number=order_number, deadline=deadline,
                               refused_on=refused_on, educated=educated, facts=facts)
        ctx.note = facts.strip()
        ctx.data = {"educated": True, "ordered_on": ordered_on.isoformat(), "order_number": order_number.strip(),
                    "deadline": deadline.isoformat() if deadline else "", "refused_on": refused_on.isoformat()}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.RECORD_REFUSAL, on, step)


def record_exemption_facts(uow: UnitOfWork, ref: str, *, on: date, kind: str, facts: str) -> CaseSummary:
    """The facts of 第三十三条第一款 (minor, corrected in time, no harm) or 第三十一条 (could not recognise or control
    the conduct): once recorded, a penalty is refused and only 不予行政处罚 remains."""

    def step(ctx: StepContext) -> CaseStatus:
        lg.check_exemption_input(kind, facts)
        ctx.note = facts.strip()
        ctx.data = {"kind": kind}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.RECORD_EXEMPTION, on, step)


def record_service_consent(uow: UnitOfWork, ref: str, *, on: date, address: str, signed: bool) -> CaseSummary:
    """The party agrees to electronic service and signs the confirmation with the address (第六十一条第二款)."""

    def step(ctx: StepContext) -> CaseStatus:
        lg.check_consent_input(address, signed)
        ctx.data = {"address": address.strip(), "signed": True}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.RECORD_CONSENT, on, step)


def schedule_hearing(uow: UnitOfWork, ref: str, *, on: date, hearing_on: date, hearing_time: str = "",
                     place: str = "", presider: str = "", clerk: str = "", members: str = "",
                     public: bool = True) -> CaseSummary:
    """听证通知书 served on ``on`` for the hearing on ``hearing_on``: at least N working days ahead, refused
    otherwise; a hearing on a rest day is allowed with a warning (CaseSummary.warnings)."""

    def step(ctx: StepContext) -> CaseStatus:
        case = ctx.case
        if case.hearing_requested_on is not None and on < case.hearing_requested_on:
            raise ValidationError("听证通知日期不能早于当事人申请听证的日期", field="on")
        ctx.warnings.extend(lg.check_hearing_schedule(on, hearing_on, ctx.settings, ctx.cal))
        ctx.data = {"hearing_on": hearing_on.isoformat(), "time": hearing_time.strip(), "place": place.strip(),
                    "presider": presider.strip(), "clerk": clerk.strip(), "members": members.strip(),
                    "public": public}
        return case.status

    return _run_step(uow, ref, CaseAction.SCHEDULE_HEARING, on, step)


def record_remedy(uow: UnitOfWork, ref: str, *, on: date, kind: str, filed_on: date, body: str,
                  ended_on: date | None = None, outcome: str = "") -> CaseSummary:
    """The party's 行政复议 or 行政诉讼 (filed, and later its end and outcome): while pending no surcharge accrues
    (第七十三条第三款) and no court enforcement is applied for (行政强制法第五十三条)."""

    def step(ctx: StepContext) -> CaseStatus:
        lg.check_remedy_input(ctx.case, kind=kind, filed_on=filed_on, body=body, ended_on=ended_on, outcome=outcome)
        ctx.data = {"kind": kind, "filed_on": filed_on.isoformat(), "body": body.strip(),
                    "ended_on": ended_on.isoformat() if ended_on else "", "outcome": outcome if ended_on else ""}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.RECORD_REMEDY, on, step)


def apply_court_enforcement(uow: UnitOfWork, ref: str, *, on: date, court: str) -> CaseSummary:
    """申请人民法院强制执行 (行政强制法第五十三条至第五十五条)."""

    def step(ctx: StepContext) -> CaseStatus:
        if not court.strip():
            raise ValidationError("请填写受理申请的人民法院", field="court")
        lg.check_court_application(ctx.case, on, ctx.settings, ctx.cal)
        ctx.data = {"to": court.strip()}
        return ctx.case.status

    return _run_step(uow, ref, CaseAction.APPLY_COURT, on, step)


# -- hooks the other steps call ------------------------------------------------------------------------------


def guard_penalty(ctx: StepContext, what: str) -> None:
    """Before a penalty is notified or decided: no art.33 ¶1 / art.31 facts, and the noise precondition met."""
    lg.check_no_exemption(ctx.case, what)
    lg.check_refusal_recorded(ctx.case)


def summary_refusal(ctx: StepContext, on: date, ordered_on: date | None, order_number: str, facts: str) -> None:
    """An on-the-spot decision on a 噪声污染防治法第八十二条 item: the order and the refusal come with it (the case
    begins with the decision, so they are kept in the decision's own record)."""
    item = ctx.case.power_item
    if item is None or not statute_facts(item.code).refusal_first:
        return
    if ordered_on is None:
        raise TransitionRefused(f"事项 {item.code} 须经说服教育、责令改正，当事人拒不改正的，方可给予警告或者罚款；"
                                   "请填写责令改正的日期、文号和当事人拒不改正的事实", f"{lg.NOISE_LAW}第八十二条")
    if not facts.strip():  # its own field: "facts" is the violation's on this form
        raise ValidationError("请写明当事人拒不改正的事实", field="refusal_facts")
    lg.check_refusal_input(on=on, ordered_on=ordered_on, order_number=order_number, deadline=None, refused_on=on,
                           educated=True, facts=facts)
    ctx.data["refusal"] = {"educated": True, "ordered_on": ordered_on.isoformat(),
                           "order_number": order_number.strip(), "refused_on": on.isoformat(), "facts": facts.strip()}


def guard_first_violation(ctx: StepContext, on: date, ground: NoPenaltyGround) -> None:
    """首违不罚 only for a party with no decision on the same catalogue item within the [L] look-back window."""
    case = ctx.case
    if ground is not NoPenaltyGround.FIRST_VIOLATION or case.party_id is None or case.power_item is None:
        return
    window = ctx.settings.int("first_violation.lookback_days")
    since = (case.act_date or on) - timedelta(days=window)
    rows = ctx.session.execute(
        select(PenaltyCase.decision_number, PenaltyCase.decision_date)
        .join(PowerItem, PowerItem.id == PenaltyCase.power_item_id)
        .where(PenaltyCase.party_id == case.party_id, PenaltyCase.id != case.id, PenaltyCase.deleted_at.is_(None),
               PowerItem.code == case.power_item.code, PenaltyCase.decision_date.is_not(None),
               PenaltyCase.decision_date >= since, PenaltyCase.decision_date <= on,
               PenaltyCase.status.not_in([CaseStatus.TERMINATED, CaseStatus.TRANSFERRED]),
               # an earlier 不予处罚 counts only where it found the violation (首违, 轻微)
               or_(PenaltyCase.no_penalty_ground.is_(None),
                   PenaltyCase.no_penalty_ground.in_([NoPenaltyGround.FIRST_VIOLATION,
                                                      NoPenaltyGround.MINOR_CORRECTED])))
        .order_by(PenaltyCase.decision_date.desc())
    ).all()
    earlier = [(str(n or ""), d) for n, d in rows if d is not None]
    lg.check_first_violation(earlier, window, case.power_item.code)
