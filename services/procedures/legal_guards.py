"""The procedure's legal preconditions that depend on what the case has recorded (issue 16, point 5).

Pure functions over a case's values and its recorded steps, like services/procedures/case_rules.py (the township
demo generator can call them on its drafts): the noise items' order-and-refusal precondition, the facts that forbid a
penalty, the hearing notice's seven working days, electronic service consent, late service, 复议/诉讼 pausing the
surcharge and the court application, 首违不罚's look-back, hearing rights by penalty kind and the order of the
review and discussion dates. Every refusal names its article; every threshold is an [L] setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from models.enums import PartyKind, Procedure
from models.penalty_flow import CaseAction
from models.workdays import WorkCalendar
from services.core.errors import TransitionRefused, ValidationError
from services.reference.catalogue import statute_facts
from services.reference.settings import Settings

if TYPE_CHECKING:
    from models.case import PenaltyCase

LAW = "《中华人民共和国行政处罚法》"
COERCION = "《中华人民共和国行政强制法》"
NOISE_LAW = "《中华人民共和国噪声污染防治法》"


def recorded(case: PenaltyCase, action: CaseAction) -> list[tuple[date, dict[str, Any]]]:
    """The (date, details) of each recorded ``action`` step, oldest first (ORM events or the demo's drafts)."""
    out: list[tuple[date, dict[str, Any]]] = []
    for e in getattr(case, "events", ()):
        if e.action == action.value:
            details = getattr(e, "details", None)
            out.append((e.on_date, dict(details if details is not None else e.data)))
    return out


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


# -- 噪声污染防治法第八十二条: 说服教育, 责令改正, 拒不改正 ------------------------------------------------------


def check_refusal_input(*, on: date, ordered_on: date, order_number: str, deadline: date | None,
                        refused_on: date, educated: bool, facts: str) -> None:
    if not educated:
        raise ValidationError("须先对当事人进行说服教育（噪声污染防治法第八十二条），请登记说服教育情况", field="educated")
    if not order_number.strip():
        raise ValidationError("请填写责令改正通知书文号", field="order_number")
    if deadline is not None and deadline < ordered_on:
        raise ValidationError("改正期限不能早于责令改正日期", field="deadline")
    if refused_on < ordered_on:
        raise ValidationError("拒不改正的日期不能早于责令改正日期", field="refused_on")
    if refused_on > on:
        raise ValidationError("拒不改正的日期不能晚于登记日期", field="refused_on")
    if not facts.strip():
        raise ValidationError("请写明当事人拒不改正的事实（复查情况）", field="facts")


def refusal_record(case: PenaltyCase) -> dict[str, Any] | None:
    """The last recorded order and refusal, or None."""
    rows = recorded(case, CaseAction.RECORD_REFUSAL)
    if rows:
        return rows[-1][1]
    on_spot = [d["refusal"] for _on, d in recorded(case, CaseAction.SUMMARY_DECIDE) if d.get("refusal")]
    return dict(on_spot[-1]) if on_spot else None


def check_refusal_recorded(case: PenaltyCase) -> None:
    """A penalty under 噪声污染防治法第八十二条 needs the order to correct and the refusal on record first."""
    item = case.power_item
    if item is None or not statute_facts(item.code).refusal_first:
        return
    if refusal_record(case) is None:
        raise TransitionRefused(
            f"事项 {item.code} 须经说服教育、责令改正，当事人拒不改正的，方可给予警告或者罚款；"
            "请先登记责令改正通知书及当事人拒不改正的情况", f"{NOISE_LAW}第八十二条")


# -- facts that forbid a penalty (第三十三条第一款, 第三十一条) ------------------------------------------------------

EXEMPTIONS: dict[str, tuple[str, str]] = {
    "minor_corrected": ("违法行为轻微并及时改正，没有造成危害后果", f"{LAW}第三十三条第一款"),
    "incapacity": ("精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为", f"{LAW}第三十一条"),
}


def check_exemption_input(kind: str, facts: str) -> None:
    if kind not in EXEMPTIONS:
        raise ValidationError(f"“{kind}”不是可登记的不予处罚情形", field="kind")
    if not facts.strip():
        raise ValidationError("请写明认定该情形的事实和证据（如改正情况、鉴定意见）", field="facts")


def check_no_exemption(case: PenaltyCase, what: str) -> None:
    """Once the facts of art.33 ¶1 or art.31 are recorded, only a 不予行政处罚 decision remains."""
    for _on, d in recorded(case, CaseAction.RECORD_EXEMPTION):
        text, article = EXEMPTIONS.get(str(d.get("kind")), ("", ""))
        if article:
            raise TransitionRefused(f"本案已登记“{text}”的事实，依法不予行政处罚，不能{what}，"
                                    "应当作出不予行政处罚决定", article)


# -- hearing notice (第六十四条第（二）项, 第八十五条) ------------------------------------------------------------


def check_hearing_schedule(served_on: date, hearing_on: date, settings: Settings, cal: WorkCalendar) -> list[str]:
    """The notice reaches the party at least N working days before the hearing; returns warnings (a rest day)."""
    days = settings.int("hearing.notice_working_days")
    earliest = cal.add_workdays(served_on, days).due
    if hearing_on < earliest:
        raise TransitionRefused(f"听证通知书应当在举行听证的{days}个工作日前送达：{served_on.isoformat()}送达的，"
                                f"听证最早安排在{earliest.isoformat()}", f"{LAW}第六十四条第（二）项、第八十五条")
    if not cal.is_workday(hearing_on):
        return [f"听证日期{hearing_on.isoformat()}是法定节假日或休息日，请核实当事人能否参加"]
    return []


def hearing_schedule(case: PenaltyCase) -> tuple[date, dict[str, Any]] | None:
    """The last hearing notice issued: (its service date, its details with ``hearing_on``)."""
    rows = recorded(case, CaseAction.SCHEDULE_HEARING)
    return rows[-1] if rows else None


def summons_inputs(case: PenaltyCase) -> dict[str, str]:
    """The 听证通知书's arrangement as the 听证通知 step recorded it, in the document's input names
    (services/documents/types_case.HEARING_INPUTS): the summons prints the hearing it scheduled."""
    schedule = hearing_schedule(case)
    if schedule is None:
        return {}
    _served, d = schedule
    at = f"{d.get('hearing_on', '')} {d.get('time', '')}".strip()
    out = {"hearing_at": at, "hearing_place": str(d.get("place", "")), "presider": str(d.get("presider", "")),
           "members": str(d.get("members", "")), "clerk": str(d.get("clerk", "")),
           "public": "公开" if d.get("public", True) else "不公开"}
    return {k: v for k, v in out.items() if v}


def check_hearing_held_as_scheduled(case: PenaltyCase, on: date) -> date:
    """A hearing is held on the date its notice set; returns the notice's service date."""
    schedule = hearing_schedule(case)
    if schedule is None:
        raise TransitionRefused("尚未向当事人发出听证通知书（载明听证的时间、地点），不能举行听证",
                                f"{LAW}第六十四条第（二）项")
    served, details = schedule
    planned = _iso(details.get("hearing_on"))
    if planned != on:
        raise TransitionRefused(f"听证通知书确定的听证日期为{planned.isoformat() if planned else '（未定）'}，"
                                "改期的应当重新发出听证通知", f"{LAW}第六十四条第（二）项")
    return served


# -- hearing rights by penalty kind (第六十三条) --------------------------------------------------------------

HEARING_KINDS: dict[str, str] = {
    "lower_qualification": "降低资质等级",  # 第六十三条第一款第（三）项
    "revoke_permit": "吊销许可证件",  # 同上
    "suspend_business": "责令停产停业",  # 第（四）项
    "close": "责令关闭",  # 同上
    "restrict_practice": "限制从业",  # 同上
    "other_heavy": "其他较重的行政处罚",  # 第（五）项
}


def notified_extras(case: PenaltyCase) -> tuple[list[str], list[str]]:
    """What the prior notice proposed beyond the fine, and the 第六十三条 grounds of the party's hearing right:
    (penalties as printed, grounds as printed)."""
    rows = recorded(case, CaseAction.NOTIFY)
    d = rows[-1][1] if rows else {}
    kinds = [HEARING_KINDS[k] for k in d.get("kinds", []) if k in HEARING_KINDS]
    taken = d.get("confiscation") or ""
    extras = ([f"没收违法所得、非法财物（价值{taken}元）"] if taken else []) + kinds
    grounds = (["没收较大数额违法所得、没收较大价值非法财物"] if taken else []) + kinds
    return extras, grounds


def check_penalty_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(kinds))
    unknown = [k for k in out if k not in HEARING_KINDS]
    if unknown:
        raise ValidationError(f"“{'、'.join(unknown)}”不是可选的处罚种类", field="kinds")
    return out


def hearing_by_kind(case: PenaltyCase, kinds: Iterable[str], confiscation: Decimal | None,
                    settings: Settings) -> bool:
    """art.63 beyond the fine: a heavy kind of penalty, or a confiscation of large value ([L] per party kind)."""
    if any(k in HEARING_KINDS for k in kinds):
        return True
    person = case.party is None or case.party.kind is PartyKind.PERSON
    limit = settings.decimal("hearing.confiscation_person" if person else "hearing.confiscation_org")
    return confiscation is not None and confiscation >= limit


# -- service (第六十一条) ---------------------------------------------------------------------------------------


def service_consent(case: PenaltyCase, on: date) -> tuple[date, dict[str, Any]] | None:
    """The party's consent to electronic service recorded on or before ``on`` (the last one): (date, details)."""
    rows = [(day, d) for day, d in recorded(case, CaseAction.RECORD_CONSENT) if day <= on]
    return rows[-1] if rows else None


def check_consent_input(address: str, signed: bool) -> None:
    if not address.strip():
        raise ValidationError("请填写当事人确认的电子送达地址（电子邮箱、传真号码或手机号码）", field="address")
    if not signed:
        raise TransitionRefused("电子送达须经当事人同意并签订确认书", f"{LAW}第六十一条第二款")


def check_electronic_service(case: PenaltyCase, on: date) -> dict[str, Any]:
    consent = service_consent(case, on)
    if consent is None:
        raise TransitionRefused("当事人未同意并签订电子送达确认书，不能采用电子方式送达",
                                f"{LAW}第六十一条第二款")
    return consent[1]


def check_service_in_time(case: PenaltyCase, on: date, late_reason: str, settings: Settings,
                          cal: WorkCalendar) -> bool:
    """A decision not handed over at once is served within N working days; later needs a recorded reason.

    Returns whether the service is late."""
    if case.decision_date is None:
        return False
    days = settings.int("service.working_days")
    due = cal.add_workdays(case.decision_date, days).due
    if on <= due:
        return False
    if not late_reason.strip():
        raise TransitionRefused(f"决定书应当在{days}个工作日内（{due.isoformat()}前）送达，逾期送达的请写明原因",
                                f"{LAW}第六十一条第一款")
    return True


# -- 复议 and 诉讼 (第七十三条; 行政强制法第五十三条) ----------------------------------------------------------------

REMEDY_KINDS = {"review": "行政复议", "litigation": "行政诉讼"}
REMEDY_OUTCOMES = {"upheld": "维持", "changed": "变更", "revoked": "撤销", "confirmed_illegal": "确认违法",
                   "withdrawn": "撤回申请（起诉）", "rejected": "驳回"}


@dataclass(frozen=True, slots=True)
class Remedy:
    kind: str
    filed_on: date
    body: str
    ended_on: date | None
    outcome: str


def remedies(case: PenaltyCase) -> list[Remedy]:
    """The party's 复议/诉讼 as recorded: a later record with the same kind and filing date updates it."""
    by_key: dict[tuple[str, date], Remedy] = {}
    for _on, d in recorded(case, CaseAction.RECORD_REMEDY):
        filed = _iso(d.get("filed_on"))
        if filed is None:
            continue
        by_key[(str(d.get("kind")), filed)] = Remedy(str(d.get("kind")), filed, str(d.get("body", "")),
                                                     _iso(d.get("ended_on")), str(d.get("outcome", "")))
    return sorted(by_key.values(), key=lambda r: r.filed_on)


def check_remedy_input(case: PenaltyCase, *, kind: str, filed_on: date, body: str, ended_on: date | None,
                       outcome: str) -> None:
    if kind not in REMEDY_KINDS:
        raise ValidationError("请选择行政复议或者行政诉讼", field="kind")
    if not body.strip():
        raise ValidationError("请填写复议机关或者受理法院", field="body")
    if case.decision_date is not None and filed_on < case.decision_date:
        raise ValidationError("申请（起诉）日期不能早于处罚决定日期", field="filed_on")
    if ended_on is not None:
        if ended_on < filed_on:
            raise ValidationError("结案日期不能早于申请（起诉）日期", field="ended_on")
        if outcome not in REMEDY_OUTCOMES:
            raise ValidationError("请选择复议或诉讼的结果", field="outcome")


def paused_days(case: PenaltyCase, start: date, end: date) -> int:
    """Days in (start, end] during which a 复议 or 诉讼 was pending: no surcharge accrues (第七十三条第三款)."""
    days = 0
    for r in remedies(case):
        first = max(start + timedelta(days=1), r.filed_on)
        last = min(end, r.ended_on or end)
        if last >= first:
            days += (last - first).days + 1
    return days


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def remedy_periods_end(case: PenaltyCase, settings: Settings) -> date | None:
    """The last day on which the party may still apply for review or sue (行政强制法第五十三条 waits for it)."""
    if case.served_on is None:
        return None
    if case.procedure is Procedure.SUMMARY:  # 复议前置 (行政复议法第二十三条): review first, then court
        end = case.served_on + timedelta(days=settings.int("remedy.review_days"))
    else:
        end = _add_months(case.served_on, settings.int("remedy.litigation_months"))
    for r in remedies(case):
        if r.ended_on is not None:
            end = max(end, r.ended_on + timedelta(days=settings.int("remedy.after_decision_days")))
    return end


def check_court_application(case: PenaltyCase, on: date, settings: Settings, cal: WorkCalendar) -> None:
    """申请人民法院强制执行: 催告 served and N working days passed (第五十四条), no 复议/诉讼 pending and the periods
    for them expired, within the months after (第五十三条)."""
    demanded = case.enforcement_started_on
    if demanded is None:
        raise TransitionRefused("申请强制执行前，应当催告当事人履行义务", f"{COERCION}第五十四条")
    days = settings.int("enforcement.demand_working_days")
    wait = cal.add_workdays(demanded, days).due
    if on <= wait:
        raise TransitionRefused(f"催告书送达{days}个工作日后当事人仍未履行的，方可申请（{wait.isoformat()}之后）",
                                f"{COERCION}第五十四条、第六十九条")
    pending = [r for r in remedies(case) if r.ended_on is None]
    if pending:
        r = pending[0]
        raise TransitionRefused(f"当事人已于{r.filed_on.isoformat()}{'申请' if r.kind == 'review' else '提起'}"
                                f"{REMEDY_KINDS.get(r.kind, r.kind)}，尚未审结，不能申请强制执行", f"{COERCION}第五十三条")
    end = remedy_periods_end(case, settings)
    if end is not None and on <= end:
        raise TransitionRefused(f"当事人申请行政复议或者提起行政诉讼的法定期限至{end.isoformat()}届满，"
                                "期满仍不履行的方可申请", f"{COERCION}第五十三条")
    if end is not None:
        last = _add_months(end, settings.int("enforcement.court_months"))
        if on > last:
            raise TransitionRefused(f"申请强制执行应当自期限届满之日起{settings.int('enforcement.court_months')}个月内"
                                    f"（{last.isoformat()}前）提出", f"{COERCION}第五十三条")


# -- 首违不罚 (第三十三条第一款第二句) ------------------------------------------------------------------------------


def check_first_violation(earlier: list[tuple[str, date]], window_days: int, code: str) -> None:
    """``earlier``: the party's decisions on the same item within the window (number, date), newest first."""
    if earlier:
        number, day = earlier[0]
        raise TransitionRefused(f"当事人{window_days}日内已因同一违法行为（事项 {code}）受到处理（{number or '无文号'}，"
                                f"{day.isoformat()}），不属于初次违法，不适用首违不罚", f"{LAW}第三十三条第一款")


# -- the order of the steps' dates ---------------------------------------------------------------------------


def _last(case: PenaltyCase, action: CaseAction) -> date | None:
    rows = recorded(case, action)
    return rows[-1][0] if rows else None


def check_review_dates(case: PenaltyCase, on: date, action: CaseAction) -> None:
    """法制审核 and 集体讨论 follow the 调查终结 they examine (第五十七条、第五十八条); the heads decide collectively
    on a case the legal review has passed; the prior notice follows both, as the procedure orders them."""
    concluded = _last(case, CaseAction.CONCLUDE)
    if concluded is not None and on < concluded:
        what = {CaseAction.LEGAL_REVIEW: "法制审核", CaseAction.COLLECTIVE: "集体讨论"}.get(action, "事先告知")
        raise TransitionRefused(f"{what}日期不能早于调查终结日期（{concluded.isoformat()}）",
                                f"{LAW}第五十七条、第五十八条")
    reviewed = _last(case, CaseAction.LEGAL_REVIEW)
    if action is CaseAction.COLLECTIVE and case.legal_review_required and (reviewed is None or on < reviewed):
        raise TransitionRefused("须经法制审核的案件，应当先法制审核，再提交负责人集体讨论"
                                + (f"（法制审核日期为{reviewed.isoformat()}）" if reviewed else ""),
                                f"{LAW}第五十八条第一款")
    if action is CaseAction.NOTIFY:
        for day, what in ((case.legal_review_passed_on, "法制审核"), (case.collective_discussed_on, "集体讨论")):
            if day is not None and on < day:
                raise TransitionRefused(f"事先告知日期不能早于{what}日期（{day.isoformat()}）",
                                        f"{LAW}第四十四条、第五十七条、第五十八条")
