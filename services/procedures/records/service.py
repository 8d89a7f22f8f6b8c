"""送达回证 for every document served on the party: how, to whom, when, by whom, and the witness of a 留置.

The rules are the Civil Procedure Law's, which 《中华人民共和国行政处罚法》第六十一条 applies to service: the date
signed is the date served (第八十七条), a substitute recipient's relation is written down (第八十八条), a document
left at the address needs the refusal's reason and a witness or a recording (第八十九条), post and public notice
leave their trace in the remarks (第九十一条、第九十五条).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models.case import CoerciveMeasure, PenaltyCase
from models.case_records import CaseRecord, ServiceRecord
from models.enums import RecordKind, ServiceMethod
from models.records import IssuedDocument
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.procedures.records.common import (
    RecordInfo,
    check_day,
    need_text,
    officers_by_uid,
    open_case,
    uid_list,
)

# The documents served on the party, by document type (services/documents/registry.py names).
SERVED: dict[str, str] = {
    "prior_notice": "行政处罚事先告知书", "hearing_notice": "听证告知书", "hearing_summons": "听证通知书",
    "penalty_decision": "行政处罚决定书", "no_penalty_decision": "不予行政处罚决定书", "demand_notice": "催告书",
    "preservation_notice": "先行登记保存证据通知书", "preservation_decision": "先行登记保存证据处理决定书",
    "coercive_decision": "查封（扣押）决定书", "review_opinion": "陈述申辩复核意见书",
}


@dataclass(frozen=True, slots=True)
class ServiceInput:
    doc_type: str
    method: ServiceMethod
    recipient: str
    served_on: date
    server_uids: Sequence[str]
    address: str = ""
    substitute_relation: str = ""  # 代收人与受送达人关系; empty when the party signed
    witness: str = ""
    refusal_reason: str = ""
    remark: str = ""


def _served_number(case: PenaltyCase, doc_type: str, uow: UnitOfWork) -> str:
    """The number printed on the served document: the step's number, else the latest issued document's."""
    by_step = {"prior_notice": case.notice_number, "penalty_decision": case.decision_number,
               "no_penalty_decision": case.decision_number}
    if by_step.get(doc_type):
        return by_step[doc_type]
    s = uow.session
    # A served document is issued for the case, one of its records, or one of its coercive measures.
    owners = [case.uid, *s.scalars(select(CaseRecord.uid).where(CaseRecord.case_id == case.id)),
              *s.scalars(select(CoerciveMeasure.uid).where(CoerciveMeasure.case_id == case.id))]
    number = s.scalar(select(IssuedDocument.number).where(
        IssuedDocument.doc_type == doc_type, IssuedDocument.record_uid.in_(owners),
        IssuedDocument.deleted_at.is_(None)).order_by(IssuedDocument.id.desc()).limit(1))
    return number or ""


def _check_method(data: ServiceInput) -> None:
    if data.method is ServiceMethod.LEFT:
        need_text(data.refusal_reason, "拒收事由（留置送达，民事诉讼法第八十九条）", "refusal_reason")
        if not data.witness.strip() and not data.remark.strip():
            raise ValidationError("留置送达须有见证人签名，或在备注中写明拍照、录像记录的情况（民事诉讼法第八十九条）",
                                  field="witness")
    if data.method in (ServiceMethod.POST, ServiceMethod.PUBLIC_NOTICE, ServiceMethod.ELECTRONIC):
        what = {ServiceMethod.POST: "邮件单号", ServiceMethod.PUBLIC_NOTICE: "公告的原因、载体和日期",
                ServiceMethod.ELECTRONIC: "电子送达地址及当事人同意电子送达的确认情况"}[data.method]
        need_text(data.remark, f"备注：{what}", "remark")


def record_service(uow: UnitOfWork, case_ref: str, data: ServiceInput) -> RecordInfo:
    """Record how one document was served; the 送达回证 is printed from it."""
    with uow:
        s = uow.session
        case = open_case(uow, case_ref)
        title = SERVED.get(data.doc_type)
        if title is None:
            raise ValidationError(f"“{data.doc_type}”不是需要送达当事人的文书", field="doc_type")
        check_day(uow, case, data.served_on, "送达")
        number = _served_number(case, data.doc_type, uow)
        if not number:
            raise ValidationError(f"《{title}》尚未出具，请先出具文书再登记送达", field="doc_type")
        recipient = need_text(data.recipient, "受送达人或签收人", "recipient")
        _check_method(data)
        servers = officers_by_uid(s, case, data.server_uids, "送达人")
        if not servers:
            raise ValidationError("请选择送达人", field="server_uids")
        row = ServiceRecord(
            township_id=case.township_id, case_id=case.id, doc_type=data.doc_type, doc_title=title, doc_number=number,
            method=data.method, recipient=recipient, substitute_relation=data.substitute_relation.strip(),
            address=data.address.strip() or (case.party.address if case.party else ""), served_on=data.served_on,
            server_uids=uid_list(servers), witness=data.witness.strip(), refusal_reason=data.refusal_reason.strip(),
            remark=data.remark.strip())
        with uow.action("service_record.add"):
            s.add(row)
            s.flush()
        info = RecordInfo(row.uid, RecordKind.SERVICE_RECORD, data.doc_type, f"送达回证：《{title}》", data.served_on,
                          f"{number}，{recipient}签收")
        uow.commit()
        return info
