"""The case file (卷宗, docs/legal-basis.md §6.2) as one PDF: cover, contents list, the documents, notes sheet (备考表).

Every document in the file is the issued (locked) document: missing ones are issued first, so the file
shows the same numbers and QR codes as the papers served. The decision comes first, then the rest in
procedural order; pages with documents carry a continuous file page number, the cover, the contents list
and the notes sheet do not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict, TypeVar

from reportlab.platypus import Flowable, PageBreak
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import SyncMixin
from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.case_records import CaseInterview, CaseRecord, EvidenceItem, ServiceRecord
from models.enums import CaseRecordKind, CaseStatus, Procedure
from models.inspection import Inspection
from models.labels import label
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.documents import textfmt as tf
from services.documents.fonts import font_set
from services.documents.issuing import document_story, issue_in_session, latest_issued, page_count, stored_snapshot
from services.documents.layout import Builder, Mark, PageInfo, build_pdf
from services.documents.registry import get_type
from services.documents.snapshot import Snapshot
from services.documents.types_decision import officers_of, penalties
from services.procedures.records.evidence_rule import registered_evidence
from services.reference.settings import Settings
from services.reference.setup import this_township

M = TypeVar("M", CaseInterview, CaseRecord, ServiceRecord)


@dataclass(frozen=True, slots=True)
class CaseFileInfo:
    case_number: str
    pdf: bytes
    pages: int
    documents: tuple[tuple[str, str], ...]  # (title, number) in file order
    not_issued: tuple[str, ...]  # documents the case should have but could not be issued, with the reason
    pages_of: tuple[str, ...] = ()  # each document's file pages as the contents list prints them ("3", "4-5")


class _Cover(TypedDict):
    """What the cover, the contents list and the notes sheet print."""

    agency: str
    name: str
    number: str
    decision: str
    party: str
    filed: str
    closed: str
    result: str
    handlers: str
    count: int  # documents in the file
    pages: int  # file pages of those documents
    retention: str
    archive: str
    archived: str


def _records(session: Session, model: type[M], case: PenaltyCase) -> list[M]:
    return list(session.scalars(select(model).where(model.case_id == case.id, model.deleted_at.is_(None))
                                .order_by(model.id)))


def _plan(case: PenaltyCase, session: Session) -> tuple[list[tuple[str, SyncMixin, bool]], list[str]]:
    """(document type, record, required) in file order, and the records a complete file lacks.

    The order is the 卷宗 order (docs/legal-basis.md §6.2): the decision first, then 立案 → evidence → 调查终结报告 →
    法制审核/集体讨论 → 告知 → 申辩/听证 → 决定 → 送达回证 → execution → 结案. Optional documents are filed only
    if issued.
    """
    general = case.procedure is Procedure.GENERAL
    no_penalty = case.no_penalty_ground is not None and case.fine_amount is None
    records = {k: [r for r in _records(session, CaseRecord, case) if r.kind is k] for k in CaseRecordKind}
    interviews = sorted(_records(session, CaseInterview, case), key=lambda r: r.started_at)
    evidence = registered_evidence(session, case)
    services = sorted(_records(session, ServiceRecord, case), key=lambda r: (r.served_on, r.id))
    items: list[tuple[str, SyncMixin, bool]] = []

    def add(name: str, kind: CaseRecordKind) -> None:
        items.extend((name, r, True) for r in records[kind])

    if case.procedure is Procedure.SUMMARY:
        items.append(("summary_decision", case, True))
    elif case.decision_number:
        items.append(("no_penalty_decision" if no_penalty else "penalty_decision", case, True))
    if general and case.number:
        items.append(("case_filing_form", case, True))
    if case.source_inspection_id:
        insp = session.get(Inspection, case.source_inspection_id)
        if insp is not None:
            items.append(("inspection_record", insp, True))
    items.extend(("interview_record", r, True) for r in interviews)
    if evidence:
        items.append(("evidence_list", case, True))
    if any(e.attachment_uid for e in evidence):
        items.append(("evidence_sheet", case, True))
    add("preservation_notice", CaseRecordKind.PRESERVATION)
    items.extend(("preservation_decision", r, True) for r in records[CaseRecordKind.PRESERVATION]
                 if r.fields.get("handled_on"))
    for m in session.scalars(select(CoerciveMeasure).where(CoerciveMeasure.case_id == case.id)):
        items.append(("coercive_decision", m, True))
    add("investigation_report", CaseRecordKind.INVESTIGATION_REPORT)
    add("legal_review_opinion", CaseRecordKind.LEGAL_REVIEW)
    add("collective_record", CaseRecordKind.COLLECTIVE)
    if case.notice_number:
        items.append(("prior_notice", case, True))
    if case.hearing_rights:
        items.append(("hearing_notice", case, True))
    for r in records[CaseRecordKind.STATEMENT]:
        items += [("statement_record", r, True), ("review_opinion", r, True)]
    if case.hearing_requested_on:
        items.append(("hearing_summons", case, False))  # needs the arrangement entered when issued
    for r in records[CaseRecordKind.HEARING]:
        items += [("hearing_record", r, True), ("hearing_report", r, True)]
    for t in session.scalars(select(Transfer).where(Transfer.case_id == case.id)):
        items.append(("transfer_letter", t, True))
    items.extend(("service_record", r, True) for r in services)
    decision_served = any(r.doc_type in ("penalty_decision", "no_penalty_decision") for r in services)
    if general and case.served_on and not decision_served:
        items.append(("service_receipt", case, True))  # a case served before the service records existed
    if case.paid_on and case.paid_amount:
        items.append(("payment_record", case, True))
    if case.enforcement_started_on:
        items.append(("demand_notice", case, True))
    add("enforcement_application", CaseRecordKind.ENFORCEMENT_APPLICATION)
    if case.closed_on and case.status is not CaseStatus.NOT_FILED:
        items.append(("closing_form", case, True))
    return items, _gaps(case, general and bool(case.decision_number), records, interviews, evidence, services)


def _gaps(case: PenaltyCase, decided: bool, records: dict[CaseRecordKind, list[CaseRecord]],
          interviews: list[CaseInterview], evidence: list[EvidenceItem], services: list[ServiceRecord]) -> list[str]:
    """What a reviewer would miss in a general-procedure file (noted on the 备考表, not invented)."""
    if not decided:
        return []
    gaps = []
    if not interviews:
        gaps.append("询问（调查）笔录（未录入）")
    if not evidence:
        gaps.append("证据清单（未登记证据）")
    if not records[CaseRecordKind.INVESTIGATION_REPORT]:
        gaps.append("调查终结报告（未录入）")
    if case.legal_review_passed_on and not records[CaseRecordKind.LEGAL_REVIEW]:
        gaps.append("法制审核意见书（未录入）")
    if case.collective_discussed_on and not records[CaseRecordKind.COLLECTIVE]:
        gaps.append("集体讨论记录（未录入）")
    if case.hearing_held_on and not records[CaseRecordKind.HEARING]:
        gaps.append("听证笔录、听证报告（未录入）")
    served = {r.doc_type for r in services}
    if case.notice_number and "prior_notice" not in served:
        gaps.append("行政处罚事先告知书的送达回证（未登记送达）")
    return gaps


def _cover(b: Builder, c: _Cover) -> list[Flowable]:
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "案件名称"), c["name"]], [("l", "案件编号"), c["number"]], [("l", "决定书文号"), c["decision"]],
        [("l", "当事人"), c["party"]], [("l", "立案日期"), c["filed"]], [("l", "结案日期"), c["closed"]],
        [("l", "处理结果"), c["result"]], [("l", "承办人"), c["handlers"]],
        [("l", "本卷件数、页数"), f"共{c['count']}件，{c['pages']}页"], [("l", "保管期限"), c["retention"]],
        [("l", "全宗号 / 目录号 / 案卷号"), c["archive"]],
    ]
    return [Mark(PageInfo("cover", "")), b.spacer(25), b.heading(c["agency"]), b.spacer(6),
            b.title("行政处罚案卷", 26), b.spacer(14), b.grid(rows, [1.7, 4], heights=[30] * len(rows)), PageBreak()]


def _contents(b: Builder, c: _Cover, entries: list[tuple[str, str, str, str]]) -> list[Flowable]:
    rows: list[list[str | tuple[str, str]]] = [[("l", "序号"), ("l", "文书名称"), ("l", "文号"), ("l", "责任者"),
                                                ("l", "日期"), ("l", "页号"), ("l", "备注")]]
    for i, (title, number, day, pages) in enumerate(entries, 1):
        rows.append([str(i), title, number, c["agency"], day, pages, ""])
    return [Mark(PageInfo("contents", "")), b.title("卷内目录", 18), b.spacer(3),
            b.grid(rows, [0.4, 1.8, 2.3, 1.1, 1.4, 0.9, 0.4]), PageBreak()]


def _notes(b: Builder, c: _Cover, not_issued: list[str]) -> list[Flowable]:
    lines = [f"本卷共有文书{c['count']}件，共{c['pages']}页（不含卷宗封面、卷内目录和备考表）。"]
    lines += [f"未入卷：{x}" for x in not_issued]
    lines.append("执法全过程记录音像资料另行存储于本机关执法记录管理系统。")
    rows: list[list[str | tuple[str, str]]] = [[("l", "说明"), "\n".join(lines)],
                                               [("l", "立卷人"), ""], [("l", "检查人"), ""],
                                               [("l", "立卷日期"), c["archived"]]]
    return [Mark(PageInfo("notes", "")), b.title("卷内备考表", 18), b.spacer(3),
            b.grid(rows, [1, 4], heights=[260, 30, 30, 30])]


def print_case_file(uow: UnitOfWork, case_ref: str,
                    progress: Callable[[int, int], None] | None = None) -> CaseFileInfo:
    """Issue what is missing, then lay out the whole file; commits the newly issued documents."""
    from services.procedures.cases import load_case

    with uow:
        s = uow.session
        case = load_case(s, case_ref)
        if case.status in (CaseStatus.CLUE, CaseStatus.NOT_FILED):
            raise AppError(f"案件“{case_ref}”尚未立案，没有案卷")
        plan, gaps = _plan(case, s)
        snapshots: list[Snapshot] = []
        not_issued: list[str] = list(gaps)
        for k, (name, record, required) in enumerate(plan):
            t = get_type(name)
            if progress:
                progress(k, len(plan))
            if not required and latest_issued(s, name, record.uid) is None:
                not_issued.append(f"{t.title}（尚未出具）")
                continue
            try:
                with s.begin_nested():  # a refused document must not undo the others
                    issue_in_session(uow, t, record)
            except AppError as exc:
                not_issued.append(f"{t.title}：{exc.message}")
                continue
            row = latest_issued(s, name, record.uid)
            assert row is not None
            snapshots.append(stored_snapshot(row))
        uow.commit()
        settings = Settings(s)
        township = this_township(s)
        fonts = font_set(settings.str("documents.body_font_file"), settings.str("documents.title_font_file"))
        b = Builder(fonts)
        entries: list[tuple[str, str, str, str]] = []
        first = 1
        for snap in snapshots:
            n = page_count(snap)
            entries.append((snap["title"], snap.get("number", ""), snap.get("date", ""),
                            f"{first}-{first + n - 1}" if n > 1 else str(first)))
            first += n
        result = "；".join(penalties(case)) if case.decision_number and case.no_penalty_ground is None \
            else label(case.status)
        cover: _Cover = {
            "agency": township.agency_name, "name": f"{case.party.name if case.party else ''}{case.cause}案",
            "number": case.number or "/", "decision": case.decision_number or "/",
            "party": case.party.name if case.party else "/", "filed": tf.cn_date(case.filed_on) or "/",
            "closed": tf.cn_date(case.closed_on) or "/", "result": result,
            "handlers": "、".join(o["name"] for o in officers_of(case)) or "/", "count": len(snapshots),
            "pages": first - 1, "retention": settings.str("documents.retention"), "archive": "/",
            "archived": tf.cn_date(case.archived_on or case.closed_on) or "/",
        }
        story = _cover(b, cover) + _contents(b, cover, entries)
        for snap in snapshots:
            story += document_story(snap, b, file_numbered=True)
            story.append(PageBreak())
        story += _notes(b, cover, not_issued)
        meta = {"title": f"行政处罚案卷 {cover['number']}", "author": township.agency_name,
                "subject": cover["name"], "keywords": f"EnforceDesk|case_file|{case.uid}"}
        out = build_pdf(story, fonts, meta=meta, created=uow.clock.now())
        return CaseFileInfo(case.number or case.decision_number, out.pdf, out.pages,
                            tuple((x["title"], x.get("number", "")) for x in snapshots), tuple(not_issued),
                            tuple(e[3] for e in entries))
