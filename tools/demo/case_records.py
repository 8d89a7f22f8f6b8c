"""The small demo's case-file records, entered through the record services (services/procedures/records) as an
officer would enter them in the case view: interviews, the evidence register, the investigation report, the
legal review and collective discussion, statements, the hearing record, and a 送达回证 for each served document.

The texts are generic but complete: every item the documents print is filled in, so ``print --case-file`` on a
demo case shows a whole file.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from models.base import SHANGHAI
from models.case import PenaltyCase
from models.enums import CaseRecordKind, EvidenceKind, PartyKind, RecordKind, ServiceMethod
from models.org import Officer
from services.core.uow import UnitOfWork
from services.documents.issuing import issue_document
from services.procedures import records as R  # noqa: N812 - reads like the record steps it drives
from services.procedures.attachments import attach_file
from services.procedures.cases import load_case


def demo_photo(path: Path, shade: int) -> Path:
    """A small PNG standing in for a site photo (grey sky over a brown heap), written without an image library."""
    width, height = 96, 64
    rows = b"".join(b"\x00" + b"".join(
        bytes((150, 150, 160) if y < height // 2 else (120 + shade % 60, 90, 60)) for _x in range(width))
        for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))
    return path


class CaseRecords:
    """Writes the records of one demo case; ``uow`` makes a unit of work on the demo's clock."""

    def __init__(self, uow: Callable[[], UnitOfWork], reviewer_uid: str) -> None:
        self.uow = uow
        self.reviewer_uid = reviewer_uid
        self.slot = 0  # interviews of the same day get successive half-hour slots, so no officer is in two

    def officers(self, uid: str) -> list[str]:
        with self.uow() as u:
            case = load_case(u.session, uid)
            links = sorted(case.officer_links, key=lambda link: (not link.lead, link.id))
            return [link.officer.uid for link in links]

    def names(self, uids: list[str]) -> list[str]:
        with self.uow() as u:
            rows = {o.uid: o.name for o in u.session.scalars(select(Officer).where(Officer.uid.in_(uids)))}
        return [rows[x] for x in uids]

    def investigation(self, uid: str, day: date) -> None:
        """One interview of the party and two evidence items (site photos and the interview), on ``day``."""
        officers = self.officers(uid)
        self.slot = (self.slot + 1) % 16
        start = datetime.combine(day, time(8, 30), SHANGHAI) + timedelta(minutes=30 * self.slot)
        with self.uow() as u:
            case = u.session.scalar(select(PenaltyCase).where(PenaltyCase.uid == uid))
            assert case is not None and case.party is not None
            p, cause, place = case.party, case.cause, case.place
            person = p.kind is PartyKind.PERSON
            post = "" if person else (p.legal_rep_title or "负责人")
            name = p.name if person else (p.legal_rep or p.name)
            relation = "当事人本人" if person else f"当事人的{post}"
            data = R.InterviewInput(
                started_at=start, ended_at=start + timedelta(minutes=25), place="镇综合行政执法队询问室", name=name,
                relation=relation, interviewer_uids=officers, recorder_uid=officers[-1], qa=[
                    ("请介绍一下你的基本情况。", f"我叫{name}，{relation}。"),
                    (f"{cause}是怎么回事？", f"是在{place}，情况属实，我们当时没有注意到这是违法的。"),
                    ("执法人员现场拍摄的照片你是否看过？是否属实？", "看过，照片反映的情况属实。"),
                    ("你还有什么要补充的吗？", "没有了，我们会马上改正。"),
                ], sex=p.gender if person else "", birth_date=p.birth_date if person else None,
                id_number=p.id_number if person else "", work_unit="" if person else p.name, post=post,
                address=p.address, phone=p.phone)
        R.add_interview(self.uow(), uid, data)
        R.add_evidence(self.uow(), uid, R.EvidenceInput(
            EvidenceKind.AUDIOVISUAL, "现场照片", place, day, self.names(officers)[0],
            "当事人违法行为的时间、地点和现场状况", "4张"))
        R.add_evidence(self.uow(), uid, R.EvidenceInput(
            EvidenceKind.STATEMENT, f"对{name}的询问笔录", "镇综合行政执法队询问室", day,
            "、".join(self.names(officers)), "当事人对违法事实的陈述，承认实施了违法行为", "1份"))

    def site_evidence(self, uid: str, day: date, store: Path) -> None:
        """A site photo attached to the case (the evidence panel) and registered, and the 先行登记保存 of the goods
        with its handling decision three working days later (《行政处罚法》第五十六条)."""
        officers = self.officers(uid)
        with self.uow() as u:
            place = load_case(u.session, uid).place
        with tempfile.TemporaryDirectory() as tmp:
            photo = attach_file(self.uow(), store, record_table=RecordKind.PENALTY_CASE, record_uid=uid,
                                src=demo_photo(Path(tmp) / "现场照片.png", len(place)), caption="违法现场全景",
                                taken_at=datetime.combine(day, time(10, 0), SHANGHAI),
                                taken_by=self.names(officers)[0])
        R.add_evidence(self.uow(), uid, R.EvidenceInput(
            EvidenceKind.AUDIOVISUAL, "违法现场全景照片", place, day, self.names(officers)[0],
            "违法物品堆放的位置、范围和数量", "1张", attachment_uid=photo.uid))
        kept = R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.PRESERVATION, day, {
            "reason": "涉案物品可能被转移，证据可能灭失", "approver": "镇长", "keep_place": "镇综合行政执法队物证室",
            "items": [["钢管", "6米", "20根"], ["扣件", "", "50个"]]}, officer_uids=officers))
        R.decide_preservation(self.uow(), kept.uid, on=day + timedelta(days=3),
                              handling="经调查，上述物品系违法行为的证据，已拍照固定，现解除先行登记保存，退还当事人")

    def court_application(self, uid: str, day: date) -> None:
        """The application to the court after the 催告 went unanswered (《行政强制法》第五十三条至第五十五条)."""
        R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.ENFORCEMENT_APPLICATION, day, {
            "court": "乐山市五通桥区人民法院", "request": "请求依法强制执行行政处罚决定确定的罚款及加处罚款。",
            "materials": ["送达回证", "催告书及其送达回证"]}))

    def report(self, uid: str, day: date, proposal: str) -> None:
        with self.uow() as u:
            case = load_case(u.session, uid)
            facts, breached = case.facts, case.power_item.breached_provision if case.power_item else ""
            basis = case.power_item.penalty_provision if case.power_item else ""
        R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.INVESTIGATION_REPORT, day, {
            "facts": facts, "analysis": f"当事人的行为违反了{breached}的规定，依据{basis}的规定应予处理。",
            "proposal": proposal}, officer_uids=self.officers(uid)))

    def reviews(self, uid: str, day: date, *, legal: bool, collective: bool) -> None:
        if legal:
            R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.LEGAL_REVIEW, day, {
                "reviewer": self.names([self.reviewer_uid])[0], "opinion": "事实清楚，证据确凿，程序合法，适用依据正确，同意",
                "items": [[item, "经审核，符合规定"] for item in R.LEGAL_REVIEW_ITEMS]},
                officer_uids=[self.reviewer_uid]))
        if collective:
            start = datetime.combine(day, time(15, 0), SHANGHAI)
            R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.COLLECTIVE, day, {
                "presider": "镇长", "recorder": "党政办工作人员", "attendees": ["镇长", "分管副镇长", "中队长"],
                "discussion": "与会人员听取承办人汇报后认为，本案事实清楚，证据充分，程序合法，拟处罚适当。",
                "conclusion": "同意按拟定意见作出处罚决定"}, place="镇政府会议室", started_at=start,
                ended_at=start + timedelta(minutes=40)))

    def serve(self, uid: str, doc_type: str, day: date) -> None:
        with self.uow() as u:
            case = load_case(u.session, uid)
            recipient = case.party.name if case.party else ""
        R.record_service(self.uow(), uid, R.ServiceInput(doc_type, ServiceMethod.DIRECT, recipient, day,
                                                         self.officers(uid)))

    def notices(self, uid: str, day: date) -> None:
        """The prior notice (and the hearing notice when the case carries hearing rights) served on ``day``."""
        self.serve(uid, "prior_notice", day)
        with self.uow() as u:
            rights = load_case(u.session, uid).hearing_rights
        if rights:
            issue_document(self.uow(), "hearing_notice", uid)
            self.serve(uid, "hearing_notice", day)

    def statement(self, uid: str, day: date) -> None:
        with self.uow() as u:
            party = load_case(u.session, uid).party
            speaker = (party.legal_rep or party.name) if party else ""
        start = datetime.combine(day, time(14, 0), SHANGHAI)
        R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.STATEMENT, day, {
            "speaker": speaker, "statement": "对违法事实无异议，但已积极整改，请求从轻处罚。",
            "review": "当事人提出的整改情况属实，已在裁量中予以考虑；其余理由不能成立", "adopted": False},
            officer_uids=self.officers(uid), place="镇综合行政执法队", started_at=start,
            ended_at=start + timedelta(minutes=30)))

    def summons(self, uid: str, day: date, hearing_at: datetime, presider_uid: str) -> None:
        """The hearing summons issued with the arrangement and served on ``day``."""
        issue_document(self.uow(), "hearing_summons", uid, {
            "hearing_at": hearing_at.strftime("%Y-%m-%d %H:%M"), "hearing_place": "镇政府三楼会议室",
            "presider": self.names([presider_uid])[0], "clerk": "党政办工作人员", "public": "公开"})
        self.serve(uid, "hearing_summons", day)

    def hearing(self, uid: str, start: datetime, presider_uid: str) -> None:
        """The record of the hearing held at ``start`` (the hearing step recorded first)."""
        officers = self.officers(uid)
        with self.uow() as u:
            party = load_case(u.session, uid).party
            party_name, rep = (party.name, party.legal_rep) if party else ("", "")
        R.add_record(self.uow(), uid, R.RecordInput(CaseRecordKind.HEARING, start.date(), {
            "presider": self.names([presider_uid])[0], "members": "", "clerk": "党政办工作人员", "public": True,
            "attendees": [f"当事人{party_name}的{rep or '负责人'}", *self.names(officers)], "agents": [],
            "investigators_case": "当事人施工工地未采取有效防尘降尘措施，有现场照片、询问笔录为证，建议罚款十万元。",
            "defence": "对事实无异议；工地已全部覆盖防尘网，请求从轻处罚。", "cross": "当事人对现场照片和询问笔录的真实性无异议。",
            "final_statement": "请求从轻处罚。", "opinion": "事实清楚，证据充分；当事人已整改，建议在法定幅度内从轻处罚。"},
            officer_uids=officers, place="镇政府三楼会议室", started_at=start, ended_at=start + timedelta(hours=1)))
