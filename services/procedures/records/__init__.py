"""The records behind a case file (models/case_records.py): entered in the case view, printed as documents.

interviews.py — 询问笔录 with the overlap refusal; evidence.py — the evidence register; service.py — 送达回证 of
every served document; written.py — the other written records; evidence_rule.py — the decision's evidence rule.
"""

from __future__ import annotations

from sqlalchemy import select

from models.case_records import CaseInterview, CaseRecord, EvidenceItem, ServiceRecord
from models.enums import RecordKind
from services.core.uow import UnitOfWork
from services.procedures.records.common import RecordInfo, open_case
from services.procedures.records.evidence import EvidenceInput, add_evidence, case_photos
from services.procedures.records.evidence_rule import EVIDENCE_ARTICLE, registered_evidence, require_evidence
from services.procedures.records.interviews import InterviewInput, add_interview
from services.procedures.records.service import SERVED, ServiceInput, record_service
from services.procedures.records.written import (
    ENFORCEMENT_MATERIALS,
    KINDS,
    LEGAL_REVIEW_ITEMS,
    RecordInput,
    add_record,
    decide_preservation,
)


def list_records(uow: UnitOfWork, case_ref: str) -> list[RecordInfo]:
    """Every record of the case file, by date (the case view's 案卷材料 list)."""
    with uow:
        s = uow.session
        case = open_case(uow, case_ref)
        live = {"case_id": case.id, "deleted_at": None}
        out = [RecordInfo(r.uid, RecordKind.CASE_INTERVIEW, "interview", "询问（调查）笔录", r.started_at.date(),
                          f"第{r.seq}次询问{r.name}（{r.relation}）")
               for r in s.scalars(select(CaseInterview).filter_by(**live))]
        out += [RecordInfo(r.uid, RecordKind.EVIDENCE_ITEM, r.kind.value, f"证据{r.seq}：{r.name}", r.obtained_on, r.proves)
                for r in s.scalars(select(EvidenceItem).filter_by(**live))]
        out += [RecordInfo(r.uid, RecordKind.SERVICE_RECORD, r.doc_type, f"送达回证：《{r.doc_title}》", r.served_on,
                           f"{r.doc_number}，{r.recipient}签收") for r in s.scalars(select(ServiceRecord).filter_by(**live))]
        out += [RecordInfo(r.uid, RecordKind.CASE_RECORD, r.kind.value, KINDS[r.kind].title, r.on_date, "")
                for r in s.scalars(select(CaseRecord).filter_by(**live))]
        return sorted(out, key=lambda r: (r.on_date, r.table, r.title))


__all__ = [
    "ENFORCEMENT_MATERIALS", "EVIDENCE_ARTICLE", "KINDS", "LEGAL_REVIEW_ITEMS", "SERVED", "EvidenceInput",
    "InterviewInput", "RecordInfo", "RecordInput", "ServiceInput", "add_evidence", "add_interview", "add_record", "case_photos",
    "decide_preservation", "list_records", "record_service", "registered_evidence", "require_evidence",
]
