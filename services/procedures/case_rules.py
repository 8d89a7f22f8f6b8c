"""The legal guards of the penalty procedure as pure functions over a case's values (no session, no writes).

services/procedures/cases/ calls them inside its steps on the ORM case; the township demo generator
(tools/demo/bulk/) calls them on its drafts, objects with the same attribute names. A generated case therefore
passes the guards a case recorded in the window passes, computed by the same code: thresholds and periods come
from the [L] settings, working days from the holiday calendar, deadlines from services/procedures/deadlines.py.
A guard returns nothing (or the value it derived) and raises TransitionRefused / ValidationError when the step
is not allowed; what a step then records stays with the step.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from models.enums import (
    CaseStatus,
    DiscretionTierName,
    IdType,
    NoPenaltyGround,
    PartyKind,
    Procedure,
    ProposedOutcome,
    Role,
)
from models.identifiers import age_on, birth_date_from_id
from models.workdays import DueDate, WorkCalendar
from services.core.errors import TransitionRefused, ValidationError
from services.people.registry import require_certified
from services.procedures import deadlines as dl
from services.procedures.legal_guards import paused_days
from services.reference.catalogue import check_fine_in_range
from services.reference.settings import Settings

if TYPE_CHECKING:
    from models.case import PenaltyCase
    from models.org import Officer

LAW = "《中华人民共和国行政处罚法》"
HEARING_NOTICE_WORKING_DAYS = 7  # art.64(2): the hearing notice is served seven working days ahead
MIN_COLLECTIVE_PARTICIPANTS = 3  # art.57 ¶2: the agency's heads decide collectively


def refuse(message: str, rule: str = "") -> TransitionRefused:
    return TransitionRefused(message, rule)


def party_kind(case: PenaltyCase) -> PartyKind:
    return case.party.kind if case.party else PartyKind.PERSON


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
        raise refuse(
            f"违法行为自{start.isoformat()}起{years}年内未被发现，已超过追责时效，不再给予行政处罚",
            f"{LAW}第三十六条",
        )


def threshold(case: PenaltyCase, kind: Literal["hearing", "major"], settings: Settings) -> Decimal:
    """A per-party-kind amount: the catalogue item's override if any, else the [L] setting."""
    person = party_kind(case) is PartyKind.PERSON
    item = case.power_item
    if kind == "hearing":
        override = (item.hearing_threshold_person if person else item.hearing_threshold_org) if item else None
        return override if override is not None else settings.decimal(
            "hearing.threshold_person" if person else "hearing.threshold_org")
    override = item.major_threshold if item else None
    return override if override is not None else settings.decimal("major.fine_person" if person else "major.fine_org")


def refresh_review_flags(case: PenaltyCase, settings: Settings) -> None:
    """art.58 legal review and art.57 collective discussion: which cases need them."""
    fine = case.proposed_fine or Decimal(0)
    major = fine >= threshold(case, "major", settings) and case.proposed_outcome is ProposedOutcome.PENALTY
    case.legal_review_required = bool(
        case.major_public_interest or case.complex_case or major or case.hearing_held_on is not None
    )
    case.collective_required = bool(case.complex_case or major)


# -- the steps' guards, in procedure order ------------------------------------------------------------


def check_filing(case: PenaltyCase, officers: list[Officer], on: date, settings: Settings) -> None:
    """立案: two certified officers (art.42), within the limitation period (art.36), not before the clue."""
    require_certified(officers, on, what="案件调查")
    limitation_check(case, settings)
    if on < case.registered_on:
        raise ValidationError("立案日期不能早于线索登记日期", field="on")


def check_conclusion(case: PenaltyCase, on: date, outcome: ProposedOutcome, tier: DiscretionTierName | None,
                     proposed_fine: Decimal | None, no_penalty_ground: NoPenaltyGround | None) -> bool:
    """调查终结: the proposal against the statutory range and the minors' rules (art.30, 32); returns whether
    the party was a minor when acting."""
    item = case.power_item
    age = party_age_on(case, case.act_date or on)
    minor = age is not None and age < 18
    if outcome is ProposedOutcome.PENALTY:
        if age is not None and age < 14:
            raise refuse(f"当事人违法时不满十四周岁（{age}周岁），不予行政处罚，应责令监护人加以管教", f"{LAW}第三十条")
        if proposed_fine is None or item is None:
            raise ValidationError("拟处罚的，请填写拟罚款数额（仅警告的填0）", field="proposed_fine")
        if tier is None:
            raise ValidationError("请选择裁量档次", field="tier")
        if minor and tier not in (DiscretionTierName.MINOR, DiscretionTierName.MITIGATED):
            raise refuse(f"当事人违法时已满十四周岁不满十八周岁（{age}周岁），应当从轻或者减轻处罚，"
                         "请选择“轻微”或“减轻”档次", f"{LAW}第三十条")
        check_fine_in_range(item, proposed_fine, mitigated=tier is DiscretionTierName.MITIGATED)
    elif outcome is ProposedOutcome.NO_PENALTY and no_penalty_ground is None:
        raise ValidationError("拟不予处罚的，请选择不予处罚的理由", field="no_penalty_ground")
    return minor


def check_legal_reviewer(reviewer: Officer, investigator_ids: Iterable[int]) -> None:
    """法制审核 (art.58): by a legal reviewer who did not investigate the case."""
    if reviewer.id in set(investigator_ids):
        raise refuse(f"{reviewer.name}是本案承办人员，不能同时进行法制审核", f"{LAW}第五十八条")
    if reviewer.role is not Role.LEGAL_REVIEWER:
        raise refuse(f"{reviewer.name}不是法制审核人员", f"{LAW}第五十八条")


def check_collective(participants: list[str]) -> None:
    if len(participants) < MIN_COLLECTIVE_PARTICIPANTS:
        raise ValidationError("集体讨论应由行政机关负责人集体进行，请至少登记三名参加人员", field="participants")


def check_notice(case: PenaltyCase, amount: Decimal | None) -> Decimal:
    """事先告知 (art.44): only of a proposed penalty, within the range; returns the fine to notify."""
    if case.proposed_outcome is not ProposedOutcome.PENALTY:
        raise refuse("调查终结意见不是给予行政处罚，无需事先告知", f"{LAW}第四十四条")
    if amount is None:
        raise ValidationError("请填写拟罚款数额", field="fine")
    if case.power_item is not None:
        check_fine_in_range(case.power_item, amount, mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)
    return amount


def hearing_rights(case: PenaltyCase, amount: Decimal, settings: Settings) -> bool:
    """art.63: a fine at or above the hearing threshold gives the party the right to a hearing."""
    return amount >= threshold(case, "hearing", settings)


def check_statement_fine(case: PenaltyCase, amount: Decimal) -> None:
    """陈述申辩 (art.45): the penalty may fall, never rise, because the party defended."""
    if case.notified_fine is not None and amount > case.notified_fine:
        raise refuse(f"拟罚款{amount}元高于告知的{case.notified_fine}元：不得因当事人陈述申辩而加重处罚",
                     f"{LAW}第四十五条")
    if case.power_item is not None:
        check_fine_in_range(case.power_item, amount, mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)


def check_waiver(written: bool) -> None:
    if not written:
        raise refuse("放弃陈述申辩和听证的，须有当事人书面明确表示", f"{LAW}第六十二条")


def check_hearing_request(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> None:
    if not case.hearing_rights:
        raise refuse("拟作出的处罚未达到听证标准，当事人不享有听证权利", f"{LAW}第六十三条")
    assert case.notified_on is not None
    due = dl.hearing_request_deadline(case.notified_on, settings, cal)
    if on > due.due:
        raise refuse(f"听证申请期限已于{due.due.isoformat()}届满（告知后五个工作日内）", f"{LAW}第六十四条")


def check_hearing_notice(notice_served_on: date | None, on: date, cal: WorkCalendar) -> None:
    """听证 (art.64): the notice reaches the party at least seven working days before the hearing."""
    if notice_served_on is None:
        raise ValidationError("请填写听证通知书送达日期", field="notice_served_on")
    if cal.workdays_between(notice_served_on, on) < HEARING_NOTICE_WORKING_DAYS:
        raise refuse("听证通知应当在举行听证的七个工作日前送达", f"{LAW}第六十四条第（二）项")


def statement_period_end(case: PenaltyCase, settings: Settings, cal: WorkCalendar) -> DueDate:
    """The last day of the statement period, or of the hearing-request period if that ends later."""
    assert case.notified_on is not None
    due = dl.statement_deadline(case.notified_on, settings, cal)
    if case.hearing_rights:
        hd = dl.hearing_request_deadline(case.notified_on, settings, cal)
        due = max(due, hd, key=lambda d: d.due)
    return due


def check_statement_period_over(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> None:
    due = statement_period_end(case, settings, cal)
    if on <= due.due:
        raise refuse(f"陈述申辩（听证申请）期限至{due.due.isoformat()}，期满后方可进入决定环节",
                     f"{LAW}第四十四条、第六十二条")


def check_decision_limit(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> None:
    """art.60: the decision within the 办案期限 (plus approved extensions and excluded periods)."""
    limit = dl.decision_limit(case, settings, cal)
    if limit is not None and on > limit.due:
        raise refuse(f"已超过办案期限（{limit.due.isoformat()}），请先办理延期审批", f"{LAW}第六十条")


def check_decision(case: PenaltyCase, on: date, amount: Decimal, settings: Settings, cal: WorkCalendar) -> None:
    """处罚决定 (art.44-45, 57-60): not above the notice, in range, reviewed and discussed where required, in time.

    Refreshes the review flags first (a hearing held since the notice requires a legal review)."""
    if case.notified_fine is not None and amount > case.notified_fine:
        raise refuse(f"决定罚款{amount}元高于事先告知的{case.notified_fine}元，须重新告知；"
                     "且不得因当事人陈述申辩而加重处罚", f"{LAW}第四十四条、第四十五条")
    if case.power_item is not None:
        check_fine_in_range(case.power_item, amount, mitigated=case.discretion_tier is DiscretionTierName.MITIGATED)
    refresh_review_flags(case, settings)
    if case.legal_review_required:
        if case.legal_review_passed_on is None:
            raise refuse("本案属于重大执法决定，须经法制审核通过后方可作出决定", f"{LAW}第五十八条")
        if case.hearing_held_on is not None and case.legal_review_passed_on < case.hearing_held_on:
            raise refuse("经过听证的案件，法制审核须在听证之后进行", f"{LAW}第五十八条第一款第（二）项")
    if case.collective_required and case.collective_discussed_on is None:
        raise refuse("情节复杂或者重大违法行为给予行政处罚，须经负责人集体讨论决定", f"{LAW}第五十七条第二款")
    age = party_age_on(case, case.act_date or on)
    if age is not None and age < 14:
        raise refuse("当事人违法时不满十四周岁，不予行政处罚", f"{LAW}第三十条")
    check_decision_limit(case, on, settings, cal)
    if case.notified_on is not None and on < case.notified_on:
        raise ValidationError("决定日期不能早于事先告知日期", field="on")


def check_no_penalty(case: PenaltyCase, on: date, ground: NoPenaltyGround, settings: Settings,
                     cal: WorkCalendar) -> None:
    """不予行政处罚 (art.30, 31, 33, 36, 57)."""
    if ground is NoPenaltyGround.UNDER_14:
        age = party_age_on(case, case.act_date or on)
        if age is None or age >= 14:
            raise refuse("当事人违法时并非不满十四周岁，不能以此为由不予处罚", f"{LAW}第三十条")
    check_decision_limit(case, on, settings, cal)


def check_dated_after_decision(case: PenaltyCase, on: date, what: str) -> None:
    """送达 and 公示 happen on or after the decision date; a case closed without one (移送) has nothing to give."""
    if case.decision_date is None:
        raise refuse(f"本案未作出行政处罚决定，无需{what}")
    if on < case.decision_date:
        raise ValidationError(f"{what}日期不能早于决定日期", field="on")


def status_after_service(case: PenaltyCase) -> CaseStatus:
    """art.61, 67: a served decision that orders a payment is executed once paid; anything else at once."""
    owes = (case.fine_amount or 0) > 0 or (case.confiscation_amount or 0) > 0
    return CaseStatus.EXECUTING if case.status is CaseStatus.DECIDED and owes else CaseStatus.EXECUTED


def surcharge_owed(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> Decimal:
    """加处罚款 (art.72) owed on ``on``, from the payment deadline after service: an on-the-spot decision whose fine
    was not collected on the spot is paid within the same period (art.67 ¶3) and warns of the same surcharge."""
    if case.served_on is None:
        return Decimal(0)
    due = dl.payment_deadline(case.served_on, settings, cal).due
    # No surcharge accrues while a 复议 or 诉讼 is pending (第七十三条第三款).
    return dl.surcharge(case.fine_amount or Decimal(0), due, on, settings, excluded_days=paused_days(case, due, on))


def apply_payment(case: PenaltyCase, paid: Decimal, receipt_number: str, owed_surcharge: Decimal) -> CaseStatus:
    """罚缴分离 (art.67): money received by bank receipt, fine first then surcharge; executed once both are paid
    in full. Instalments keep adding to both; more than is owed is refused."""
    if paid <= 0:
        raise ValidationError("缴款金额必须大于0", field="amount")
    if not receipt_number.strip():
        raise ValidationError("请填写缴款凭证或财政票据号码（罚缴分离）", field="receipt_number")
    fine = case.fine_amount or Decimal(0)
    total_paid = (case.paid_amount or Decimal(0)) + (case.surcharge_paid or Decimal(0)) + paid
    if total_paid > fine + owed_surcharge:
        raise ValidationError(f"缴款合计{total_paid}元超过应缴{fine + owed_surcharge}元", field="amount")
    case.paid_amount = min(total_paid, fine)
    case.surcharge_paid = total_paid - case.paid_amount if total_paid > fine else None
    return CaseStatus.EXECUTED if total_paid >= fine + owed_surcharge else case.status


def check_enforcement(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> None:
    """催告 (art.72; 行政强制法第五十四条): only after the payment deadline has passed. The court application is a
    later step of its own (legal_guards.check_court_application)."""
    assert case.served_on is not None
    due = dl.payment_deadline(case.served_on, settings, cal).due
    if on <= due:
        raise refuse(f"缴款期限至{due.isoformat()}，期满未缴方可催告和申请强制执行", f"{LAW}第七十二条")


def check_close(case: PenaltyCase) -> None:
    """结案: an on-the-spot decision is paid in full and filed (art.52, 67)."""
    if case.procedure is Procedure.SUMMARY:
        if (case.fine_amount or 0) > 0 and (case.paid_amount or 0) < (case.fine_amount or 0):
            raise refuse("当场处罚罚款尚未缴清，不能结案", f"{LAW}第六十七条")
        if case.summary_filed_on is None:
            raise refuse("当场处罚决定尚未备案，不能结案", f"{LAW}第五十二条")


def check_extension(case: PenaltyCase, on: date, days: int, settings: Settings, cal: WorkCalendar) -> None:
    """延长办案期限 (art.60): up to the [L] cap each time, applied for before the limit runs out."""
    cap = settings.int("decision.max_extension_days")
    if days <= 0 or days > cap:
        raise ValidationError(f"每次延长期限应在1至{cap}日之间", field="days")
    limit = dl.decision_limit(case, settings, cal)
    if limit is not None and on > limit.due:
        raise refuse(f"办案期限已于{limit.due.isoformat()}届满，应在期限届满前办理延期", f"{LAW}第六十条")


def check_summary(case: PenaltyCase, officers: list[Officer], decided_on: date, fine: Decimal, paid_on_spot: bool,
                  receipt_number: str, settings: Settings) -> None:
    """当场处罚 (art.51, 68): certified officers, a small fine within the item's range, cash only up to the cap."""
    require_certified(officers, decided_on, minimum=settings.int("summary.min_officers"), what="当场处罚")
    person = party_kind(case) is PartyKind.PERSON
    cap = settings.decimal("summary.max_fine_person" if person else "summary.max_fine_org")
    if fine > cap:
        raise refuse(f"当场处罚的罚款不得超过{cap}元（{'公民' if person else '法人或其他组织'}），"
                     "应适用普通程序", f"{LAW}第五十一条")
    if case.power_item is not None:
        check_fine_in_range(case.power_item, fine)
    if paid_on_spot:
        cash_cap = settings.decimal("summary.cash_max")
        if fine > cash_cap:
            raise refuse(f"当场收缴罚款限于{cash_cap}元以下，其余应到指定银行缴纳", f"{LAW}第六十八条")
        if not receipt_number.strip():
            raise ValidationError("当场收缴罚款必须出具财政部门统一制发的专用票据，请填写票据号", field="receipt_number")
