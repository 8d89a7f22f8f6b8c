"""The written records of a case besides interviews, evidence and service (models.case_records.CaseRecordKind).

Each kind names the fields its document prints (KINDS); a record missing one is refused here, before any paper
is printed. Ties to the procedure are checked where the law makes them: a statement follows the prior notice
(《中华人民共和国行政处罚法》第四十五条), the hearing record is of the hearing held and its presider did not
investigate (第六十四条), the legal review covers every item of 第五十八条's review, 先行登记保存 is decided within
seven working days (第五十六条), the application to the court follows the 催告 (《中华人民共和国行政强制法》第五十四条).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from models.case import PenaltyCase
from models.case_records import CaseRecord
from models.enums import CaseRecordKind, RecordKind
from services.core.errors import NotFound, TransitionRefused, ValidationError
from services.core.uow import UnitOfWork
from services.people.registry import require_certified
from services.people.roles import Permission
from services.procedures.records.common import RecordInfo, check_day, officers_by_uid, open_case, uid_list
from services.reference.calendar import load_calendar

LAW = "《中华人民共和国行政处罚法》"
# The legal review's items (重大执法决定法制审核, 《行政处罚法》第五十八条 and 国办发〔2018〕118号).
LEGAL_REVIEW_ITEMS: tuple[str, ...] = (
    "执法主体是否合法，执法人员是否具备执法资格", "执法程序是否合法", "案件事实是否清楚，证据是否合法充分",
    "适用法律、法规、规章是否准确，裁量基准运用是否适当", "是否超越法定权限", "行政执法文书是否完备、规范",
    "违法行为是否涉嫌犯罪、需要移送司法机关",
)
# 行政强制法第五十五条: what an application to the court for enforcement carries.
ENFORCEMENT_MATERIALS: tuple[str, ...] = (
    "强制执行申请书", "行政决定书及作出决定的事实、理由和依据", "当事人的意见及行政机关催告情况",
    "申请强制执行标的情况",
)


@dataclass(frozen=True, slots=True)
class KindSpec:
    title: str
    required: tuple[tuple[str, str], ...]  # (content key, label) of the text every record of the kind needs
    lists: tuple[tuple[str, str], ...] = ()  # (content key, label) of lists that must not be empty
    min_officers: int = 0  # certified officers (第四十二条) who write, review or attend
    timed: bool = False  # start and end time printed
    permission: Permission = Permission.RECORD


KINDS: dict[CaseRecordKind, KindSpec] = {
    CaseRecordKind.STATEMENT: KindSpec("陈述申辩笔录", (("speaker", "陈述申辩人"), ("statement", "陈述申辩内容"),
                                                  ("review", "复核意见")), min_officers=2, timed=True),
    CaseRecordKind.HEARING: KindSpec("听证笔录", (
        ("presider", "听证主持人"), ("clerk", "书记员"), ("investigators_case", "调查人员提出的违法事实、证据和处罚建议"),
        ("defence", "当事人的陈述、申辩和质证意见"), ("final_statement", "当事人最后陈述"), ("opinion", "主持人的处理意见")),
        lists=(("attendees", "出席听证的人员"),), timed=True),
    CaseRecordKind.INVESTIGATION_REPORT: KindSpec("调查终结报告", (
        ("facts", "调查认定的违法事实"), ("analysis", "案件定性及法律依据"), ("proposal", "处理意见")), min_officers=2),
    CaseRecordKind.LEGAL_REVIEW: KindSpec("法制审核意见书", (("reviewer", "审核人员"), ("opinion", "审核意见")),
                                      lists=(("items", "审核事项及审核情况"),), permission=Permission.LEGAL_REVIEW),
    CaseRecordKind.COLLECTIVE: KindSpec("集体讨论记录", (
        ("presider", "主持人"), ("recorder", "记录人"), ("discussion", "讨论情况"), ("conclusion", "讨论结论")),
        lists=(("attendees", "参加人员"),), timed=True, permission=Permission.DECIDE),
    CaseRecordKind.PRESERVATION: KindSpec("先行登记保存证据通知书", (
        ("reason", "先行登记保存的理由"), ("approver", "批准的机关负责人"), ("keep_place", "保存地点")),
        lists=(("items", "先行登记保存的物品"),), min_officers=2),
    CaseRecordKind.ENFORCEMENT_APPLICATION: KindSpec("强制执行申请书", (
        ("court", "受理申请的人民法院"), ("request", "申请执行的内容")), lists=(("materials", "随附材料"),),
        permission=Permission.DECIDE),
}


@dataclass(frozen=True, slots=True)
class RecordInput:
    kind: CaseRecordKind
    on: date
    content: Mapping[str, Any]
    officer_uids: Sequence[str] = ()
    place: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None


def _clean(spec: KindSpec, content: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in content.items():
        out[k] = v.strip() if isinstance(v, str) else v
    missing = [label for key, label in spec.required if not str(out.get(key) or "").strip()]
    missing += [label for key, label in spec.lists if not out.get(key)]
    if missing:
        raise ValidationError(f"{spec.title}缺少：{'、'.join(missing)}", field=next(
            (k for k, lab in (*spec.required, *spec.lists) if lab == missing[0]), ""))
    return out


def _check_times(spec: KindSpec, data: RecordInput) -> None:
    if not spec.timed:
        return
    if data.started_at is None or data.ended_at is None:
        raise ValidationError(f"请填写{spec.title}的起止时间", field="started_at")
    if data.ended_at <= data.started_at:
        raise ValidationError("结束时间须晚于开始时间", field="ended_at")
    if not data.place.strip():
        raise ValidationError(f"请填写{spec.title}的地点", field="place")


def _check_tie(uow: UnitOfWork, case: PenaltyCase, data: RecordInput, content: dict[str, Any]) -> None:
    """The record's place in the procedure, where the law fixes it."""
    kind, on = data.kind, data.on
    if kind is CaseRecordKind.STATEMENT and (case.notified_on is None or on < case.notified_on):
        raise TransitionRefused(f"陈述申辩应在事先告知之后（{LAW}第四十四条、第四十五条）")
    if kind is CaseRecordKind.HEARING:
        if case.hearing_held_on is None or case.hearing_held_on != on:
            raise TransitionRefused(f"听证笔录须记录本案已举行的听证（听证日期与记录不符，{LAW}第六十四条）")
        investigators = {link.officer.name for link in case.officer_links if link.deleted_at is None}
        if content["presider"] in investigators:
            raise ValidationError(f"听证主持人不得由本案调查人员担任（{LAW}第六十四条第（四）项）", field="presider")
        agents = content.get("agents") or []
        if len(agents) > 2:
            raise ValidationError(f"当事人可以委托一至二人代理（{LAW}第六十四条第（五）项）", field="agents")
    if kind is CaseRecordKind.LEGAL_REVIEW:
        items = {str(x[0]) for x in content["items"] if len(x) == 2 and str(x[1]).strip()}
        left = [i for i in LEGAL_REVIEW_ITEMS if i not in items]
        if left:
            raise ValidationError(f"法制审核须逐项写明审核情况，尚缺：{'；'.join(left)}（{LAW}第五十八条）", field="items")
    if kind is CaseRecordKind.ENFORCEMENT_APPLICATION and case.enforcement_started_on is None:
        raise TransitionRefused("申请人民法院强制执行前应当催告当事人履行义务（《中华人民共和国行政强制法》第五十四条）")


def add_record(uow: UnitOfWork, case_ref: str, data: RecordInput) -> RecordInfo:
    """Record one written record of the case."""
    spec = KINDS[data.kind]
    with uow:
        s = uow.session
        case = open_case(uow, case_ref, spec.permission)
        check_day(uow, case, data.on, spec.title)
        content = _clean(spec, data.content)
        _check_times(spec, data)
        officers = officers_by_uid(s, case, data.officer_uids, "执法人员")
        if spec.min_officers:
            require_certified(officers, data.on, minimum=spec.min_officers, what=spec.title)
        _check_tie(uow, case, data, content)
        row = CaseRecord(township_id=case.township_id, case_id=case.id, kind=data.kind, on_date=data.on,
                         started_at=data.started_at, ended_at=data.ended_at, place=data.place.strip(),
                         officer_uids=uid_list(officers), content=json.dumps(content, ensure_ascii=False))
        with uow.action(f"case_record.{data.kind.value}"):
            s.add(row)
            s.flush()
        info = RecordInfo(row.uid, RecordKind.CASE_RECORD, data.kind.value, spec.title, data.on, _summary(data.kind, content))
        uow.commit()
        return info


def _summary(kind: CaseRecordKind, content: dict[str, Any]) -> str:
    key = {CaseRecordKind.STATEMENT: "statement", CaseRecordKind.HEARING: "opinion", CaseRecordKind.INVESTIGATION_REPORT: "proposal",
           CaseRecordKind.LEGAL_REVIEW: "opinion", CaseRecordKind.COLLECTIVE: "conclusion", CaseRecordKind.PRESERVATION: "reason",
           CaseRecordKind.ENFORCEMENT_APPLICATION: "request"}[kind]
    text = str(content.get(key, ""))
    return text if len(text) <= 40 else text[:39] + "…"


def decide_preservation(uow: UnitOfWork, record_uid: str, *, on: date, handling: str) -> RecordInfo:
    """The handling decision of 先行登记保存, within seven working days of the preservation (第五十六条)."""
    with uow:
        s = uow.session
        row = s.scalar(select(CaseRecord).where(CaseRecord.uid == record_uid, CaseRecord.deleted_at.is_(None),
                                                CaseRecord.kind == CaseRecordKind.PRESERVATION))
        if row is None:
            raise NotFound(f"找不到先行登记保存记录“{record_uid}”")
        case = open_case(uow, row.case.uid)
        text = handling.strip()
        if not text:
            raise ValidationError("请写明处理决定（如解除保存并退还、移送有关部门、依法没收等）", field="handling")
        if row.fields.get("handled_on"):
            raise TransitionRefused("该先行登记保存已作出处理决定")
        check_day(uow, case, on, "先行登记保存处理决定")
        due = load_calendar(s).add_workdays(row.on_date, 7).due
        if on < row.on_date or on > due:
            raise TransitionRefused(f"先行登记保存应在七个工作日内（{due:%Y-%m-%d}前）作出处理决定（{LAW}第五十六条）")
        row.content = json.dumps({**row.fields, "handled_on": on.isoformat(), "handling": text}, ensure_ascii=False)
        with uow.action("case_record.preservation_decision"):
            s.flush()
        info = RecordInfo(row.uid, RecordKind.CASE_RECORD, "preservation_decision", "先行登记保存证据处理决定书", on, text)
        uow.commit()
        return info
