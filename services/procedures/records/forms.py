"""The case-file records described as data (fields to ask for) and dispatched to the record services.

As services/procedures/actions.py does for the procedure steps: the case view builds its dialogs from these
specs and hands the values back to :func:`perform_record`, so the window and any other caller run the same
service with the same checks. Labels are the legal vocabulary of the form; the UI passes them through tr().
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from models.base import SHANGHAI
from models.enums import CaseRecordKind, EvidenceKind, ServiceMethod
from models.labels import label
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures.actions import FieldSpec
from services.procedures.records.common import RecordInfo
from services.procedures.records.evidence import EvidenceInput, add_evidence
from services.procedures.records.interviews import InterviewInput, add_interview
from services.procedures.records.service import SERVED, ServiceInput, record_service
from services.procedures.records.written import KINDS, LEGAL_REVIEW_ITEMS, RecordInput, add_record

_METHODS = (("direct", "直接送达"), ("left", "留置送达"), ("post", "邮寄送达"), ("entrusted", "委托送达"),
            ("electronic", "电子送达"), ("public_notice", "公告送达"))
_TIMES = (FieldSpec("start", "开始时间（时:分）", "text", default="09:00"),
          FieldSpec("end", "结束时间（时:分）", "text", default="09:30"), FieldSpec("place", "地点", "text"))

PRESERVATION_DECISION: tuple[FieldSpec, ...] = (
    FieldSpec("on", "处理决定日期", "date"),
    FieldSpec("handling", "处理决定（如解除保存并退还、移送有关部门、依法没收）", "longtext"))

RECORD_FORMS: dict[str, tuple[str, tuple[FieldSpec, ...]]] = {
    "interview": ("询问（调查）笔录", (
        FieldSpec("on", "询问日期", "date"), *_TIMES, FieldSpec("name", "被询问人姓名", "text"),
        FieldSpec("sex", "性别", "choice", required=False, choices=(("男", "男"), ("女", "女"))),
        FieldSpec("birth_date", "出生日期（如 1980-05-20）", "text", required=False),
        FieldSpec("id_number", "身份证件号码", "text", required=False),
        FieldSpec("work_unit", "工作单位", "text", required=False), FieldSpec("post", "职务", "text", required=False),
        FieldSpec("address", "住址", "text", required=False), FieldSpec("phone", "联系电话", "text", required=False),
        FieldSpec("relation", "与本案关系", "text", default="当事人本人"),
        FieldSpec("interviewers", "询问人（至少两名）", "officers"), FieldSpec("recorder", "记录人", "officer"),
        FieldSpec("qa", "问答（每行以“问：”或“答：”开头）", "longtext"))),
    "evidence": ("证据登记", (
        FieldSpec("kind", "证据种类", "choice", choices=tuple((k.value, label(k)) for k in EvidenceKind)),
        FieldSpec("name", "证据名称", "text"), FieldSpec("source", "来源或取证地点", "text"),
        FieldSpec("obtained_on", "取证日期", "date"), FieldSpec("collector", "取证人（拍摄人、提取人）", "text"),
        FieldSpec("proves", "证明对象", "longtext"), FieldSpec("quantity", "数量", "text", default="1份"),
        FieldSpec("attachment", "对应照片（证据栏附件）", "choice", required=False))),
    "service": ("登记送达", (
        FieldSpec("doc_type", "送达的文书", "choice", choices=tuple(SERVED.items())),
        FieldSpec("method", "送达方式", "choice", choices=_METHODS, default="direct"),
        FieldSpec("recipient", "签收人", "text"), FieldSpec("served_on", "签收日期", "date"),
        FieldSpec("servers", "送达人", "officers"), FieldSpec("address", "送达地点", "text", required=False),
        FieldSpec("substitute_relation", "代收人与受送达人关系", "text", required=False),
        FieldSpec("witness", "见证人（留置送达）", "text", required=False),
        FieldSpec("refusal_reason", "拒收事由（留置送达）", "text", required=False),
        FieldSpec("remark", "备注（邮件单号、电子送达确认、公告情况）", "text", required=False))),
    "statement": ("陈述申辩笔录", (
        FieldSpec("on", "日期", "date"), *_TIMES, FieldSpec("speaker", "陈述申辩人", "text"),
        FieldSpec("officers", "执法人员（至少两名）", "officers"), FieldSpec("statement", "陈述申辩内容", "longtext"),
        FieldSpec("review", "复核意见", "longtext"), FieldSpec("adopted", "采纳当事人意见", "bool"))),
    "hearing": ("听证笔录", (
        FieldSpec("on", "听证日期", "date"), *_TIMES, FieldSpec("presider", "听证主持人", "text"),
        FieldSpec("members", "听证员", "text", required=False), FieldSpec("clerk", "书记员", "text"),
        FieldSpec("attendees", "出席人员（以“、”分隔）", "text"),
        FieldSpec("agents", "委托代理人（以“、”分隔）", "text", required=False),
        FieldSpec("public", "公开举行", "bool", default=True), FieldSpec("officers", "案件调查人员", "officers"),
        FieldSpec("investigators_case", "调查人员提出的违法事实、证据和处罚建议", "longtext"),
        FieldSpec("defence", "当事人的陈述、申辩和质证意见", "longtext"),
        FieldSpec("cross", "质证、辩论情况", "longtext", required=False),
        FieldSpec("final_statement", "当事人最后陈述", "longtext"), FieldSpec("opinion", "主持人的处理意见", "longtext"))),
    "investigation_report": ("调查终结报告", (
        FieldSpec("on", "报告日期", "date"), FieldSpec("officers", "承办人（至少两名）", "officers"),
        FieldSpec("facts", "调查认定的违法事实", "longtext"), FieldSpec("analysis", "案件定性及法律依据", "longtext"),
        FieldSpec("proposal", "处理意见", "longtext"))),
    "legal_review": ("法制审核意见书", (
        FieldSpec("on", "审核日期", "date"), FieldSpec("reviewer", "审核人员", "text"),
        *(FieldSpec(f"item_{i}", item, "text", default="经审核，符合规定") for i, item in enumerate(LEGAL_REVIEW_ITEMS)),
        FieldSpec("opinion", "审核意见", "longtext"))),
    "collective": ("集体讨论记录", (
        FieldSpec("on", "讨论日期", "date"), *_TIMES, FieldSpec("presider", "主持人", "text"),
        FieldSpec("attendees", "参加人员（以“、”分隔）", "text"), FieldSpec("recorder", "记录人", "text"),
        FieldSpec("observers", "列席人员（以“、”分隔）", "text", required=False),
        FieldSpec("discussion", "讨论情况", "longtext"), FieldSpec("conclusion", "讨论结论", "longtext"))),
    "preservation": ("先行登记保存", (
        FieldSpec("on", "保存日期", "date"), FieldSpec("officers", "执法人员（至少两名）", "officers"),
        FieldSpec("reason", "先行登记保存的理由", "longtext"), FieldSpec("approver", "批准的机关负责人", "text"),
        FieldSpec("keep_place", "保存地点", "text"),
        FieldSpec("items", "物品（每行：名称、规格、数量）", "longtext"))),
    "enforcement_application": ("强制执行申请书", (
        FieldSpec("on", "申请日期", "date"), FieldSpec("court", "受理申请的人民法院", "text"),
        FieldSpec("request", "申请执行的内容", "longtext"),
        FieldSpec("materials", "其他随附材料（以“、”分隔）", "text", required=False))),
}


def _time(day: date, text: str, field: str) -> datetime:
    m = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValidationError("时间请写成“时:分”，如 09:30", field=field)
    return datetime.combine(day, time(int(m.group(1)), int(m.group(2))), SHANGHAI)


def _names(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、，,；;\n]", text or "") if x.strip()]


def parse_qa(text: str) -> list[tuple[str, str]]:
    """Lines starting 问： / 答： into pairs; a line without either continues the one before."""
    pairs: list[list[str]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[:2] in ("问：", "问:"):
            pairs.append([line[2:].strip(), ""])
        elif line[:2] in ("答：", "答:") and pairs:
            pairs[-1][1] = (pairs[-1][1] + line[2:].strip()).strip()
        elif pairs:
            pairs[-1][1 if pairs[-1][1] else 0] += line
        else:
            raise ValidationError("问答请以“问：”开头", field="qa")
    return [(q, a) for q, a in pairs]


def _birth(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("出生日期请写成 1980-05-20 的格式", field="birth_date") from None


def _written(kind: CaseRecordKind, v: dict[str, Any]) -> RecordInput:
    spec = KINDS[kind]
    keys = {f.key for f in RECORD_FORMS[kind.value][1]} - {"on", "start", "end", "place", "officers"}
    content: dict[str, Any] = {k: v.get(k) for k in keys}
    for k in ("attendees", "agents", "observers", "materials"):
        if k in content:
            content[k] = _names(content[k] or "")
    if kind is CaseRecordKind.LEGAL_REVIEW:
        content["items"] = [[item, content.pop(f"item_{i}") or ""] for i, item in enumerate(LEGAL_REVIEW_ITEMS)]
    if kind is CaseRecordKind.PRESERVATION:
        content["items"] = [_names(line) for line in (v.get("items") or "").splitlines() if line.strip()]
    start = end = None
    if spec.timed:
        start, end = _time(v["on"], v.get("start", ""), "start"), _time(v["on"], v.get("end", ""), "end")
    return RecordInput(kind, v["on"], content, officer_uids=v.get("officers") or [], place=v.get("place") or "",
                       started_at=start, ended_at=end)


def perform_record(uow: UnitOfWork, case_uid: str, form: str, v: dict[str, Any]) -> RecordInfo:
    """Turn a form's values into the record service's input and call it."""
    runs: dict[str, Callable[[], RecordInfo]] = {
        "interview": lambda: add_interview(uow, case_uid, InterviewInput(
            started_at=_time(v["on"], v["start"], "start"), ended_at=_time(v["on"], v["end"], "end"),
            place=v["place"], name=v["name"], relation=v["relation"], interviewer_uids=v["interviewers"] or [],
            recorder_uid=v["recorder"] or "", qa=parse_qa(v["qa"]), sex=v.get("sex") or "",
            birth_date=_birth(v.get("birth_date") or ""), id_number=v["id_number"], work_unit=v["work_unit"],
            post=v["post"], address=v["address"], phone=v["phone"])),
        "evidence": lambda: add_evidence(uow, case_uid, EvidenceInput(
            EvidenceKind(v["kind"]), v["name"], v["source"], v["obtained_on"], v["collector"], v["proves"],
            v.get("quantity") or "1份", v.get("attachment") or "")),
        "service": lambda: record_service(uow, case_uid, ServiceInput(
            v["doc_type"], ServiceMethod(v["method"]), v["recipient"], v["served_on"], v["servers"] or [],
            address=v["address"], substitute_relation=v["substitute_relation"], witness=v["witness"],
            refusal_reason=v["refusal_reason"], remark=v["remark"])),
    }
    if form in runs:
        return runs[form]()
    return add_record(uow, case_uid, _written(CaseRecordKind(form), v))
