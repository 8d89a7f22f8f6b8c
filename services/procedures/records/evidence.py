"""The evidence register (证据清单): what each item is, where, when and by whom it was obtained, what it proves.

A photo or video of the evidence panel (services/procedures/attachments.py, attached to the case) is registered
by naming its attachment; the register then prints it on a 证据材料粘贴单 with those details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from models.case_records import EvidenceItem
from models.enums import EvidenceKind, RecordKind
from models.labels import label
from models.records import Attachment
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures.records.common import RecordInfo, check_day, need_text, open_case


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    kind: EvidenceKind
    name: str
    source: str  # where (地点或来源)
    obtained_on: date
    collector: str  # who obtained it
    proves: str  # what it proves (证明对象)
    quantity: str = "1份"
    attachment_uid: str = ""  # a photo of the evidence panel


def add_evidence(uow: UnitOfWork, case_ref: str, data: EvidenceInput) -> RecordInfo:
    """Register one item; numbered after the items already in the register."""
    with uow:
        s = uow.session
        case = open_case(uow, case_ref)
        check_day(uow, case, data.obtained_on, "取证")
        name = need_text(data.name, "证据名称", "name")
        proves = need_text(data.proves, "证明对象（该证据证明的事实）", "proves")
        source = need_text(data.source, "证据的来源或取证地点", "source")
        collector = need_text(data.collector, "取证人（拍摄人、提取人）", "collector")
        if data.attachment_uid:
            att = s.scalar(select(Attachment).where(Attachment.uid == data.attachment_uid,
                                                    Attachment.deleted_at.is_(None)))
            if att is None or att.record_uid != case.uid:
                raise ValidationError("所选照片不是本案证据栏中的附件", field="attachment_uid")
        last = s.scalar(select(func.max(EvidenceItem.seq)).where(EvidenceItem.case_id == case.id)) or 0
        row = EvidenceItem(township_id=case.township_id, case_id=case.id, seq=last + 1, kind=data.kind, name=name,
                           source=source, obtained_on=data.obtained_on, collector=collector, proves=proves,
                           quantity=data.quantity.strip() or "1份", attachment_uid=data.attachment_uid)
        with uow.action("evidence_item.add"):
            s.add(row)
            s.flush()
        info = RecordInfo(row.uid, RecordKind.EVIDENCE_ITEM, data.kind.value, f"证据{row.seq}：{name}", data.obtained_on,
                          f"{label(data.kind)}，证明{proves}")
        uow.commit()
        return info


def case_photos(uow: UnitOfWork, case_ref: str) -> list[tuple[str, str]]:
    """(attachment uid, file name and caption) of the case's evidence panel, for the register's photo choice."""
    with uow:
        case = open_case(uow, case_ref)
        rows = uow.session.scalars(select(Attachment).where(Attachment.record_uid == case.uid,
                                                            Attachment.deleted_at.is_(None)).order_by(Attachment.id))
        return [(a.uid, f"{a.filename}　{a.caption}".strip()) for a in rows]
