"""Procedure steps described as data (fields to ask for) and dispatched to the step services.

The desktop window builds its step dialogs from these specs and the command line could too, so both call
exactly the same service function with the same validation. Labels are Chinese because they are the
legal vocabulary of the step; the UI still passes them through tr() for translation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from models.column_rules import DEFAULT_DATES, date_problem, money_problem
from models.enums import (
    AgreementForm,
    DiscretionTierName,
    NoPenaltyGround,
    PerformanceStatus,
    ProposedOutcome,
    ServiceMethod,
    TermConcern,
    TransferKind,
)
from models.labels import label
from models.mediation_flow import MediationAction
from models.penalty_flow import CaseAction
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures import cases as C
from services.procedures import legal_guards as lg
from services.procedures import mediation as M
from services.procedures.case_rules import LAW


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a step. ``required`` and ``required_when`` are what ``coerce`` refuses an empty value for, and
    the step dialog marks exactly those fields (one declaration, so the marker and the check cannot diverge).

    ``default`` is only for values that state no fact: an attestation (各方已签名捺印), a verdict or an optional
    date starts empty, so nothing untrue reaches a document by pressing 确定. ``max_len`` limits text that prints in
    a document; the dialog shows it as a counter and ``coerce`` refuses longer text.
    """

    key: str
    label: str
    kind: str  # date | money | int | text | longtext | bool | choice | officer | officers | obligations
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    default: Any = None
    help: str = ""
    required_when: tuple[str, tuple[str, ...]] | None = None  # (other key, its values): required only then
    max_len: int | None = None

    def is_required(self, values: dict[str, Any]) -> bool:
        """Whether an empty value is refused, given the other values of the form."""
        if self.kind == "bool":
            return False
        if self.required_when is not None:
            other, wanted = self.required_when
            return values.get(other) in wanted
        return self.required

    @property
    def limit(self) -> int | None:
        """The most characters the field takes (text fields only)."""
        if self.kind == "text":
            return self.max_len or TEXT_MAX
        if self.kind == "longtext":
            return self.max_len or LONGTEXT_MAX
        return None


def _choices(enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, label(m)) for m in enum)


D = FieldSpec("on", "日期", "date")

# Length limits of text that prints in a document: a line of a form (text) or a paragraph (longtext) that still
# fits the document's usual length. Declared once here; the dialog's counter and coerce read the same number.
TEXT_MAX = 60
LONGTEXT_MAX = 800
_VERDICT = (("yes", "是"), ("no", "否"))
_PENALTY = ("penalty",)

CASE_FIELDS: dict[CaseAction, tuple[FieldSpec, ...]] = {
    CaseAction.FILE: (D, FieldSpec("officer_uids", "承办人员（两名以上，第一位为主办）", "officers")),
    CaseAction.REFUSE_FILING: (D, FieldSpec("reason", "不予立案理由", "longtext")),
    CaseAction.CONCLUDE: (
        D, FieldSpec("outcome", "处理意见", "choice", choices=_choices(ProposedOutcome)),
        FieldSpec("tier", "裁量档次", "choice", required=False, choices=_choices(DiscretionTierName),
                  required_when=("outcome", _PENALTY)),
        FieldSpec("proposed_fine", "拟罚款（元）", "money", required=False, required_when=("outcome", _PENALTY)),
        FieldSpec("reasons", "裁量理由", "longtext", required=False),
        FieldSpec("deviation", "超出建议幅度的理由（从轻、减轻的写明第三十二条规定的情形）", "longtext", required=False,
                  help="拟罚款不在所选档次的建议幅度内时必填，印入处罚决定书"),
        FieldSpec("no_penalty_ground", "不予处罚理由", "choice", required=False,
                  choices=_choices(NoPenaltyGround), required_when=("outcome", ("no_penalty",))),
        FieldSpec("complex_case", "情节复杂", "bool", required=False, default=False),
        FieldSpec("major_public_interest", "涉及重大公共利益", "bool", required=False, default=False),
    ),
    CaseAction.RETURN: (D, FieldSpec("reason", "补充调查事项", "longtext")),
    CaseAction.LEGAL_REVIEW: (
        D, FieldSpec("passed", "审核结论：通过", "choice", choices=_VERDICT), FieldSpec("opinion", "审核意见", "longtext"),
        FieldSpec("reviewer_uid", "法制审核人员", "officer"),
    ),
    CaseAction.COLLECTIVE: (
        D, FieldSpec("conclusion", "讨论结论", "longtext"),
        FieldSpec("participants", "参加人员（用顿号分隔）", "text"),
    ),
    CaseAction.NOTIFY: (D, FieldSpec("fine", "拟罚款（元，不填则按调查终结意见）", "money", required=False)),
    CaseAction.STATEMENT: (
        D, FieldSpec("text", "陈述申辩内容及复核意见", "longtext"),
        FieldSpec("adopted", "采纳", "bool", default=False),
        FieldSpec("new_fine", "复核后拟罚款（元）", "money", required=False),
    ),
    CaseAction.WAIVE: (D, FieldSpec("written", "当事人已书面放弃", "bool")),
    CaseAction.REQUEST_HEARING: (D,),
    CaseAction.HOLD_HEARING: (
        FieldSpec("on", "听证日期（须为听证通知书确定的日期）", "date"),
        FieldSpec("party_attended", "当事人到场", "bool"),  # an attestation: never pre-ticked
        FieldSpec("minutes", "听证笔录要点", "longtext", required=False),
    ),
    CaseAction.SCHEDULE_HEARING: (
        FieldSpec("on", "听证通知书送达日期", "date"), FieldSpec("hearing_on", "听证日期", "date"),
        FieldSpec("hearing_time", "听证时间（如 09:30）", "text", required=False),
        FieldSpec("place", "听证地点", "text"), FieldSpec("presider", "听证主持人", "text"),
        FieldSpec("clerk", "书记员", "text", required=False), FieldSpec("members", "听证员", "text", required=False),
        # 公开 is the rule (行政处罚法第六十四条第（三）项); whether this hearing is is the squad's to state, not a tick
        # already given.
        FieldSpec("public", "是否公开举行", "choice", choices=(
            ("public", "公开举行"), ("closed", "不公开举行（涉及国家秘密、商业秘密或者个人隐私）"))),
    ),
    CaseAction.RECORD_REFUSAL: (
        D, FieldSpec("educated", "已说服教育", "bool", default=False),
        FieldSpec("ordered_on", "责令改正日期", "date"), FieldSpec("order_number", "责令改正通知书文号", "text"),
        FieldSpec("deadline", "改正期限", "date", required=False),
        FieldSpec("refused_on", "拒不改正的日期（复查日期）", "date"),
        FieldSpec("facts", "拒不改正的事实", "longtext"),
    ),
    CaseAction.RECORD_EXEMPTION: (
        D, FieldSpec("kind", "情形", "choice", choices=tuple((k, f"{t}（{a.removeprefix(LAW)}）")
                                                            for k, (t, a) in lg.EXEMPTIONS.items())),
        FieldSpec("facts", "事实和证据", "longtext"),
    ),
    CaseAction.RECORD_CONSENT: (
        D, FieldSpec("address", "确认的电子送达地址", "text"),
        FieldSpec("signed", "当事人已签订电子送达确认书", "bool", default=False),
    ),
    CaseAction.RECORD_REMEDY: (
        D, FieldSpec("kind", "类型", "choice", choices=tuple(lg.REMEDY_KINDS.items())),
        FieldSpec("filed_on", "申请（起诉）日期", "date"), FieldSpec("body", "复议机关或受理法院", "text"),
        FieldSpec("ended_on", "审结日期", "date", required=False),
        FieldSpec("outcome", "结果", "choice", required=False, choices=tuple(lg.REMEDY_OUTCOMES.items())),
    ),
    CaseAction.APPLY_COURT: (D, FieldSpec("court", "受理申请的人民法院", "text")),
    CaseAction.END_STATEMENT: (D,),
    CaseAction.DECIDE: (
        D, FieldSpec("fine", "罚款（元，仅警告填0）", "money"),
        FieldSpec("confiscation", "没收违法所得（元）", "money", required=False),
        FieldSpec("warning_only", "仅警告", "bool", required=False, default=False),
    ),
    CaseAction.DECIDE_NO_PENALTY: (
        D, FieldSpec("ground", "不予处罚理由", "choice", choices=_choices(NoPenaltyGround)),
        FieldSpec("reasons", "事实、理由及教育情况", "longtext"),
    ),
    CaseAction.TRANSFER: (
        D, FieldSpec("kind", "移送类型", "choice", choices=_choices(TransferKind)),
        FieldSpec("receiving_org", "接收机关", "text"), FieldSpec("reason", "移送理由", "longtext"),
        FieldSpec("memo_reference", "协作备忘录", "text", required=False),
    ),
    CaseAction.SERVE: (
        D, FieldSpec("method", "送达方式", "choice", choices=_choices(ServiceMethod)),
        FieldSpec("recipient", "受送达人", "text", required=False),
        FieldSpec("late_reason", "逾期送达原因（超过七个工作日的）", "longtext", required=False),
    ),
    CaseAction.PAY: (
        D, FieldSpec("amount", "缴款金额（元）", "money"), FieldSpec("receipt_number", "缴款凭证/票据号", "text"),
    ),
    CaseAction.ENFORCE: (D,),
    CaseAction.CLOSE: (D,),
    CaseAction.ARCHIVE: (D,),
    CaseAction.DISCLOSE: (D, FieldSpec("channel", "公示渠道", "text", default="政府门户网站")),
    CaseAction.TERMINATE: (D, FieldSpec("reason", "终止理由", "longtext")),
    CaseAction.EXTEND: (
        D, FieldSpec("days", "延长天数", "int", default=30), FieldSpec("approver", "批准负责人", "text"),
        FieldSpec("reason", "延期理由", "longtext"),
    ),
    CaseAction.SUSPEND: (D, FieldSpec("days", "不计入期限的天数", "int"), FieldSpec("reason", "事由", "longtext")),
    CaseAction.SUMMARY_FILE: (D,),
}

# SUMMARY_DECIDE starts a case rather than moving one: it has its own form.
CASE_STEP_ACTIONS = tuple(CASE_FIELDS)


def _money(v: Any, field: str, required: bool) -> Decimal | None:
    if v in (None, ""):
        if required:
            raise ValidationError("请填写金额", field=field)
        return None
    try:
        value = Decimal(str(v).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValidationError(f"“{v}”不是有效金额", field=field) from exc
    problem = money_problem(value)  # the stored column's rule (models/column_rules.py)
    if problem:
        raise ValidationError(problem, field=field)
    return value


def coerce_field(f: FieldSpec, values: dict[str, Any], today: date | None = None) -> Any:
    """One field's typed value from the form's values; ValidationError (naming the field) when it is wrong. With
    ``today``, a date is also checked within the plausible range every stored date keeps (models/column_rules.py)."""
    v = values.get(f.key, f.default)
    required = f.is_required(values)
    if f.kind == "money":
        return _money(v, f.key, required)
    if v in (None, "", []) and required:
        verb = "选择" if f.kind in ("choice", "officer", "officers") else "填写"
        raise ValidationError(f"请{verb}“{f.label}”", field=f.key)
    if f.limit is not None and isinstance(v, str) and len(v.strip()) > f.limit:
        raise ValidationError(f"“{f.label}”最多{f.limit}字（现有{len(v.strip())}字），请精简", field=f.key)
    if f.kind == "date" and isinstance(v, str) and v:
        try:
            v = date.fromisoformat(v)
        except ValueError as exc:
            raise ValidationError(f"“{v}”不是有效日期（格式：2026-03-02）", field=f.key) from exc
    if f.kind == "date" and isinstance(v, date) and today is not None:
        problem = date_problem(v, DEFAULT_DATES, today)
        if problem:
            raise ValidationError(f"“{f.label}”的{problem}", field=f.key)
    elif f.kind == "int" and v not in (None, ""):
        try:
            v = int(v)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"“{f.label}”应为整数", field=f.key) from exc
    elif f.kind == "bool":
        v = v in (True, "1", "true", "yes", "是")
    elif f.kind == "choice" and v not in (None, ""):
        if v not in {c for c, _ in f.choices}:
            raise ValidationError(f"“{v}”不是“{f.label}”的有效选项", field=f.key)
    elif f.kind == "officers" and isinstance(v, str):
        v = [x for x in v.replace("，", ",").split(",") if x.strip()]
    return v if v != "" else None


def coerce(fields: tuple[FieldSpec, ...], values: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Turn form values (strings from widgets or the CLI) into typed arguments, checking required ones."""
    return {f.key: coerce_field(f, values, today) for f in fields}


def field_problems(fields: tuple[FieldSpec, ...], values: dict[str, Any],
                   today: date | None = None) -> dict[str, str]:
    """Every field's problem at once (key -> message), in the form's order: what a dialog lists on 确定."""
    out: dict[str, str] = {}
    for f in fields:
        try:
            coerce_field(f, values, today)
        except ValidationError as exc:
            out[f.key] = exc.message
    return out


def perform_case_action(uow: UnitOfWork, ref: str, action: CaseAction, values: dict[str, Any]) -> C.CaseSummary:
    if action not in CASE_FIELDS:
        raise ValidationError(f"“{action}”不能在此办理", field="action")
    v = coerce(CASE_FIELDS[action], values, uow.clock.today())
    on: date = v["on"]
    handlers: dict[CaseAction, Callable[[], C.CaseSummary]] = {
        CaseAction.FILE: lambda: C.file_case(uow, ref, on=on, officer_uids=list(v["officer_uids"])),
        CaseAction.REFUSE_FILING: lambda: C.refuse_filing(uow, ref, on=on, reason=v["reason"]),
        CaseAction.CONCLUDE: lambda: C.conclude_investigation(uow, ref, on=on, data=C.ConclusionInput(
            outcome=ProposedOutcome(v["outcome"]),
            tier=DiscretionTierName(v["tier"]) if v.get("tier") else None,
            proposed_fine=v.get("proposed_fine"), reasons=v.get("reasons") or "", deviation=v.get("deviation") or "",
            complex_case=bool(v.get("complex_case")), major_public_interest=bool(v.get("major_public_interest")),
            no_penalty_ground=NoPenaltyGround(v["no_penalty_ground"]) if v.get("no_penalty_ground") else None)),
        CaseAction.RETURN: lambda: C.return_for_investigation(uow, ref, on=on, reason=v["reason"]),
        CaseAction.LEGAL_REVIEW: lambda: C.record_legal_review(uow, ref, on=on, passed=v["passed"] == "yes",
                                                               opinion=v["opinion"], reviewer_uid=v["reviewer_uid"]),
        CaseAction.COLLECTIVE: lambda: C.record_collective_discussion(
            uow, ref, on=on, conclusion=v["conclusion"],
            participants=[p for p in str(v["participants"]).replace("，", "、").replace(",", "、").split("、") if p]),
        CaseAction.NOTIFY: lambda: C.give_prior_notice(uow, ref, on=on, fine=v.get("fine")),
        CaseAction.STATEMENT: lambda: C.record_statement(uow, ref, on=on, text=v["text"], adopted=v["adopted"],
                                                         new_fine=v.get("new_fine")),
        CaseAction.WAIVE: lambda: C.waive_statement(uow, ref, on=on, written=v["written"]),
        CaseAction.REQUEST_HEARING: lambda: C.request_hearing(uow, ref, on=on),
        CaseAction.HOLD_HEARING: lambda: C.record_hearing(uow, ref, on=on, party_attended=v["party_attended"],
                                                          minutes=v.get("minutes") or ""),
        CaseAction.SCHEDULE_HEARING: lambda: C.schedule_hearing(
            uow, ref, on=on, hearing_on=v["hearing_on"], hearing_time=v.get("hearing_time") or "", place=v["place"],
            presider=v["presider"], clerk=v.get("clerk") or "", members=v.get("members") or "",
            public=v.get("public") == "public"),
        CaseAction.RECORD_REFUSAL: lambda: C.record_refusal(
            uow, ref, on=on, educated=v["educated"], ordered_on=v["ordered_on"], order_number=v["order_number"],
            deadline=v.get("deadline"), refused_on=v["refused_on"], facts=v["facts"]),
        CaseAction.RECORD_EXEMPTION: lambda: C.record_exemption_facts(uow, ref, on=on, kind=v["kind"],
                                                                      facts=v["facts"]),
        CaseAction.RECORD_CONSENT: lambda: C.record_service_consent(uow, ref, on=on, address=v["address"],
                                                                    signed=v["signed"]),
        CaseAction.RECORD_REMEDY: lambda: C.record_remedy(
            uow, ref, on=on, kind=v["kind"], filed_on=v["filed_on"], body=v["body"], ended_on=v.get("ended_on"),
            outcome=v.get("outcome") or ""),
        CaseAction.APPLY_COURT: lambda: C.apply_court_enforcement(uow, ref, on=on, court=v["court"]),
        CaseAction.END_STATEMENT: lambda: C.end_statement_period(uow, ref, on=on),
        CaseAction.DECIDE: lambda: C.decide_penalty(uow, ref, on=on, fine=v["fine"],
                                                    confiscation=v.get("confiscation"),
                                                    warning_only=bool(v.get("warning_only"))),
        CaseAction.DECIDE_NO_PENALTY: lambda: C.decide_no_penalty(uow, ref, on=on,
                                                                  ground=NoPenaltyGround(v["ground"]),
                                                                  reasons=v["reasons"]),
        CaseAction.TRANSFER: lambda: C.transfer_case(uow, ref, on=on, kind=TransferKind(v["kind"]),
                                                     receiving_org=v["receiving_org"], reason=v["reason"],
                                                     memo_reference=v.get("memo_reference") or ""),
        CaseAction.SERVE: lambda: C.serve_decision(uow, ref, on=on, method=ServiceMethod(v["method"]),
                                                   recipient=v.get("recipient") or "",
                                                   late_reason=v.get("late_reason") or ""),
        CaseAction.PAY: lambda: C.record_payment(uow, ref, on=on, amount=v["amount"],
                                                 receipt_number=v["receipt_number"]),
        CaseAction.ENFORCE: lambda: C.start_enforcement(uow, ref, on=on),
        CaseAction.CLOSE: lambda: C.close_case(uow, ref, on=on),
        CaseAction.ARCHIVE: lambda: C.archive_case(uow, ref, on=on),
        CaseAction.DISCLOSE: lambda: C.disclose(uow, ref, on=on, channel=v.get("channel") or "政府门户网站"),
        CaseAction.TERMINATE: lambda: C.terminate_case(uow, ref, on=on, reason=v["reason"]),
        CaseAction.EXTEND: lambda: C.extend_limit(uow, ref, on=on, days=v["days"], approver=v["approver"],
                                                  reason=v["reason"]),
        CaseAction.SUSPEND: lambda: C.record_suspension(uow, ref, on=on, days=v["days"], reason=v["reason"]),
        CaseAction.SUMMARY_FILE: lambda: C.file_summary(uow, ref, on=on),
    }
    return handlers[action]()


MEDIATION_FIELDS: dict[MediationAction, tuple[FieldSpec, ...]] = {
    MediationAction.ACCEPT: (D, FieldSpec("mediator_uids", "调解员", "officers")),
    MediationAction.REJECT: (D, FieldSpec("reason", "不予受理理由", "longtext")),
    MediationAction.SESSION: (
        D, FieldSpec("place", "调解地点", "text"), FieldSpec("record", "调解记录", "longtext"),
        # Whether the session was public is the parties' to ask (人民调解法第二十三条第（三）项), so it is stated,
        # never an unticked box read as “不公开”.
        FieldSpec("public", "是否公开进行", "choice", choices=(("public", "公开进行"), ("closed", "不公开进行")),
                  help="当事人可以要求调解公开进行或者不公开进行（《中华人民共和国人民调解法》第二十三条）"),
    ),
    MediationAction.SUCCEED: (
        D, FieldSpec("form", "协议形式", "choice", choices=_choices(AgreementForm)),
        FieldSpec("effective_on", "协议生效日期", "date"),
        FieldSpec("disputed_issues", "争议事项", "longtext", required=False),
        FieldSpec("responsibility", "各方当事人的责任", "longtext", required=False,
                  help="书面协议应写明（《人民调解法》第二十九条）"),
        # Each term: who owes whom what (amount or object), how, by when; the UI's table, or JSON from a script.
        FieldSpec("obligations", "协议内容（逐项）", "obligations", required=False),
        FieldSpec("terms", "其他约定", "longtext", required=False),
        FieldSpec("performance_deadline", "履行期限", "date", required=False, help="不填则为各项中最晚的履行期限"),
        FieldSpec("all_parties_signed", "各方已签名捺印", "bool"),
        FieldSpec("committee_sealed", "已加盖调解委员会印章", "bool"),
    ),
    MediationAction.FAIL: (D, FieldSpec("reason", "不成功原因及告知的其他途径", "longtext")),
    MediationAction.TERMINATE: (D, FieldSpec("reason", "终止理由", "longtext")),
    MediationAction.FOLLOW_UP: (
        D, FieldSpec("visitor", "回访人", "text"),
        FieldSpec("performance", "履行情况", "choice", choices=_choices(PerformanceStatus)),
        FieldSpec("method", "回访方式", "choice", choices=(("上门", "上门"), ("电话", "电话"))),
        FieldSpec("note", "回访记录", "longtext", required=False),
    ),
    MediationAction.APPLY_CONFIRMATION: (
        D, FieldSpec("court", "受理法院", "text"), FieldSpec("joint", "双方共同申请", "bool"),
    ),
    MediationAction.RECORD_CONFIRMATION: (D, FieldSpec("confirmed", "法院裁定协议有效", "choice", choices=_VERDICT)),
    MediationAction.FLAG_ESCALATION: (
        D, FieldSpec("criminal", "已转为刑事案件（民转刑）", "bool", default=False),
        FieldSpec("note", "情况说明及采取的措施", "longtext"),
    ),
    MediationAction.CLOSE: (D, FieldSpec("archive_number", "档案号", "text", required=False)),
}


def obligation_inputs(raw: Any) -> tuple[M.ObligationInput, ...]:
    """The agreement's terms from a form (a list of dicts) or a script (the same as JSON text)."""
    if raw in (None, "", []):
        return ()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise ValidationError("协议内容应为JSON列表", field="obligations") from exc
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ValidationError("协议内容应为逐项列表", field="obligations")
    out = []
    for n, x in enumerate(raw, start=1):
        due = x.get("due_on")
        if isinstance(due, str):
            try:
                due = date.fromisoformat(due)
            except ValueError as exc:
                raise ValidationError(f"第{n}项协议内容：“{due}”不是有效日期", field="obligations") from exc
        if not isinstance(due, date):
            raise ValidationError(f"第{n}项协议内容：请填写履行期限", field="obligations")
        try:
            concerns = TermConcern(x.get("concerns") or TermConcern.NONE.value)
        except ValueError as exc:
            raise ValidationError(f"第{n}项协议内容：涉及事项无效", field="obligations") from exc
        out.append(M.ObligationInput(
            obligor_uid=str(x.get("obligor_uid") or ""), obligee_uid=str(x.get("obligee_uid") or ""),
            what=str(x.get("what") or ""), due_on=due, manner=str(x.get("manner") or ""),
            amount=_money(x.get("amount"), "obligations", False), subject=str(x.get("subject") or ""),
            concerns=concerns))
    return tuple(out)


def perform_mediation_action(uow: UnitOfWork, ref: str, action: MediationAction,
                             values: dict[str, Any]) -> M.MediationSummary:
    from datetime import datetime

    from models.base import SHANGHAI

    v = coerce(MEDIATION_FIELDS[action], values, uow.clock.today())
    on: date = v["on"]
    handlers: dict[MediationAction, Callable[[], M.MediationSummary]] = {
        MediationAction.ACCEPT: lambda: M.accept(uow, ref, on=on, mediator_uids=list(v["mediator_uids"])),
        MediationAction.REJECT: lambda: M.reject(uow, ref, on=on, reason=v["reason"]),
        MediationAction.SESSION: lambda: M.record_session(
            uow, ref, on=on, held_at=datetime(on.year, on.month, on.day, 9, tzinfo=SHANGHAI), place=v["place"],
            record=v["record"], public=v["public"] == "public"),
        MediationAction.SUCCEED: lambda: M.record_agreement(uow, ref, on=on, data=M.AgreementInput(
            form=AgreementForm(v["form"]), terms=v.get("terms") or "", effective_on=v["effective_on"],
            performance_deadline=v.get("performance_deadline"), all_parties_signed=v["all_parties_signed"],
            committee_sealed=v["committee_sealed"], obligations=obligation_inputs(v.get("obligations")),
            disputed_issues=v.get("disputed_issues") or "", responsibility=v.get("responsibility") or "")),
        MediationAction.FAIL: lambda: M.fail(uow, ref, on=on, reason=v["reason"]),
        MediationAction.TERMINATE: lambda: M.terminate(uow, ref, on=on, reason=v["reason"]),
        MediationAction.FOLLOW_UP: lambda: M.follow_up(uow, ref, on=on, visitor=v["visitor"],
                                                       performance=PerformanceStatus(v["performance"]),
                                                       method=v.get("method") or "上门", note=v.get("note") or ""),
        MediationAction.APPLY_CONFIRMATION: lambda: M.apply_confirmation(uow, ref, on=on, court=v["court"],
                                                                         joint=v["joint"]),
        MediationAction.RECORD_CONFIRMATION: lambda: M.record_confirmation(uow, ref, on=on,
                                                                                     confirmed=v["confirmed"] == "yes"),
        MediationAction.FLAG_ESCALATION: lambda: M.flag_escalation(uow, ref, on=on, criminal=v["criminal"],
                                                                   note=v["note"]),
        MediationAction.CLOSE: lambda: M.close(uow, ref, on=on, archive_number=v.get("archive_number") or ""),
    }
    return handlers[action]()
