"""The records behind a general-procedure case file: interviews, the evidence register, proofs of service, and
the other written records of the procedure (statements, hearing, reports, legal review, collective discussion,
preservation of evidence, the application to the court).

Each row belongs to one penalty case and carries the township that owns it (services/sync/ownership.py): they
travel in bundles like the case itself. Officers are named by their ``uid`` in JSON lists (``officer_uids``):
a record names two to five of them and is read whole, never searched by officer in SQL — the overlap check of
interviews reads the township's interviews of the day (services/procedures/records/interviews.py).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import AwareDateTime, Base, SyncMixin, enum_column
from models.case import PenaltyCase
from models.enums import CaseRecordKind, EvidenceKind, ServiceMethod
from models.sealed import sealed_text


def _json_list(text: str) -> list[Any]:
    value = json.loads(text or "[]")
    return value if isinstance(value, list) else []


class CaseInterview(SyncMixin, Base):
    """询问（调查）笔录: one interview as entered — who was asked, by whom, when, and the questions and answers."""

    __tablename__ = "case_interview"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)  # 第X次 (per interviewee within the case)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    ended_at: Mapped[datetime] = mapped_column(AwareDateTime)
    place: Mapped[str] = mapped_column(sealed_text(200), default="")  # sealed at rest (models/sealed.py)
    # The interviewee's identity block (docs/legal-basis.md §6.2).
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_number: Mapped[str] = mapped_column(sealed_text(32), default="")  # sealed at rest (models/sealed.py)
    work_unit: Mapped[str] = mapped_column(String(128), default="")
    post: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(sealed_text(200), default="")
    phone: Mapped[str] = mapped_column(sealed_text(20), default="")
    id_number_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")  # local, derived
    phone_masked: Mapped[str] = mapped_column(String(32), default="", server_default="")
    relation: Mapped[str] = mapped_column(String(64), default="")  # 与本案关系: 当事人本人, 法定代表人, 证人 …
    interviewer_uids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of officer uids (≥2)
    recorder_uid: Mapped[str] = mapped_column(String(36), default="")
    qa: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of [question, answer]

    case: Mapped[PenaltyCase] = relationship()

    @property
    def interviewers(self) -> list[str]:
        return [str(x) for x in _json_list(self.interviewer_uids)]

    @property
    def questions(self) -> list[tuple[str, str]]:
        return [(str(q), str(a)) for q, a in _json_list(self.qa)]


class EvidenceItem(SyncMixin, Base):
    """One entry of the evidence register (证据清单); a photo entry also prints on a 证据材料粘贴单."""

    __tablename__ = "evidence_item"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[EvidenceKind] = enum_column(EvidenceKind)
    name: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(sealed_text(200), default="")  # where it was obtained; sealed at rest
    obtained_on: Mapped[date] = mapped_column(Date)
    collector: Mapped[str] = mapped_column(String(64), default="")  # who obtained it (拍摄人、提取人)
    proves: Mapped[str] = mapped_column(Text, default="")  # 证明对象
    quantity: Mapped[str] = mapped_column(String(32), default="1份")
    attachment_uid: Mapped[str] = mapped_column(String(36), default="")  # the photo in the evidence panel

    case: Mapped[PenaltyCase] = relationship()


class ServiceRecord(SyncMixin, Base):
    """送达回证: one served document, how, to whom and when (民事诉讼法第八十七条至第九十五条)."""

    __tablename__ = "service_record"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))  # the served document's type (registry name)
    doc_title: Mapped[str] = mapped_column(String(64))
    doc_number: Mapped[str] = mapped_column(String(64), default="")
    method: Mapped[ServiceMethod] = enum_column(ServiceMethod)
    recipient: Mapped[str] = mapped_column(String(64))
    substitute_relation: Mapped[str] = mapped_column(String(64), default="")  # 代收人与受送达人关系
    address: Mapped[str] = mapped_column(sealed_text(200), default="")  # sealed at rest (models/sealed.py)
    served_on: Mapped[date] = mapped_column(Date, index=True)
    server_uids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of officer uids
    witness: Mapped[str] = mapped_column(String(64), default="")  # 留置送达 见证人
    refusal_reason: Mapped[str] = mapped_column(String(200), default="")
    remark: Mapped[str] = mapped_column(String(200), default="")  # postal number, notice medium …

    case: Mapped[PenaltyCase] = relationship()

    @property
    def servers(self) -> list[str]:
        return [str(x) for x in _json_list(self.server_uids)]


class CaseRecord(SyncMixin, Base):
    """A written record of the procedure; ``content`` holds the kind's fields (services/procedures/records)."""

    __tablename__ = "case_record"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_case.id"), index=True)
    kind: Mapped[CaseRecordKind] = enum_column(CaseRecordKind, index=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    place: Mapped[str] = mapped_column(sealed_text(200), default="")  # sealed at rest (models/sealed.py)
    officer_uids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: who wrote, reviewed or attended
    content: Mapped[str] = mapped_column(Text, default="{}")  # JSON object of the kind's fields

    case: Mapped[PenaltyCase] = relationship()

    @property
    def officers(self) -> list[str]:
        return [str(x) for x in _json_list(self.officer_uids)]

    @property
    def fields(self) -> dict[str, Any]:
        value = json.loads(self.content or "{}")
        return value if isinstance(value, dict) else {}
