"""Case-file records (services/procedures/records) and the case file they make: the interview overlap refusal,
the decision's evidence rule (art.59(二)), each new document's mandatory items, and a complete hearing case built
through the services whose file holds every record in the 卷宗 order, page numbers as its contents list says."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader
from reportlab.lib.units import mm
from sqlalchemy import select

from models.base import SHANGHAI
from models.case import CoerciveMeasure, PenaltyCase
from models.case_records import CaseInterview
from models.enums import CaseRecordKind, DiscretionTierName, EvidenceKind, ProposedOutcome, ServiceMethod
from services.core.db import Database
from services.core.errors import TransitionRefused, ValidationError
from services.district.review_checks import precheck
from services.documents.case_file import print_case_file
from services.documents.issuing import issue_document
from services.documents.types_decision import evidence as decision_evidence
from services.procedures import cases as c
from services.procedures import records as R  # noqa: N812
from services.reference.calendar import load_calendar
from services.reference.settings import Settings
from tests.services.conftest import World
from tests.services.test_cases import MAR2, D, filed, pending, refused
from tests.services.unlock import demo_uow


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def interview(w: World, uid: str, start: datetime, officers: list[str], minutes: int = 30) -> R.RecordInfo:
    return R.add_interview(w.uow(), uid, R.InterviewInput(
        started_at=start, ended_at=start + timedelta(minutes=minutes), place="执法队询问室", name="孙成年",
        relation="当事人本人", interviewer_uids=officers, recorder_uid=officers[-1], sex="男",
        id_number="", address="竹根镇新华路1号", phone="13800000000",
        qa=[("你是否在现场堆放物料？", "是的。"), ("堆放了多久？", "三天。")]))


def evidence(w: World, uid: str, on: date = MAR2) -> None:
    R.add_evidence(w.uow(), uid, R.EvidenceInput(EvidenceKind.AUDIOVISUAL, "现场照片", "竹根镇新华路", on, "张三",
                                                 "当事人在道路上堆放物料的事实", "3张"))


# -- the interview overlap refusal --------------------------------------------------------------------------


def test_an_officer_in_two_overlapping_interviews_is_refused(world: World) -> None:
    a = pending(world, world.adult)
    b = filed(world, world.adult)
    first = interview(world, a, at(D(2026, 3, 3), 9), world.officers[:2])
    assert first.summary.startswith("第1次询问孙成年")
    # 张三 is in the first interview 9:00–9:30: a second one at 9:15 with him is refused, nothing written.
    err = refused(world, lambda: interview(world, b, at(D(2026, 3, 3), 9, 15), [world.officers[0], world.officers[2]]),
                  ValidationError)
    assert "张三" in err.message and "第四十二条" in err.message
    # Right after the first one ends, or with other officers, it is accepted.
    interview(world, b, at(D(2026, 3, 3), 9, 30), [world.officers[0], world.officers[2]])
    again = interview(world, a, at(D(2026, 3, 4), 9), world.officers[:2])
    assert again.summary.startswith("第2次询问孙成年")


def test_an_interview_needs_two_certified_officers_and_its_answers(world: World) -> None:
    uid = pending(world, world.adult)
    refused(world, lambda: interview(world, uid, at(D(2026, 3, 3), 9), world.officers[:1]), ValidationError,
            match="两名以上")
    refused(world, lambda: R.add_interview(world.uow(), uid, R.InterviewInput(
        started_at=at(D(2026, 3, 3), 9), ended_at=at(D(2026, 3, 3), 9, 30), place="询问室", name="孙成年",
        relation="当事人本人", interviewer_uids=world.officers[:2], recorder_uid=world.officers[1],
        qa=[("你是否在现场？", "")])), ValidationError, match="回答")
    refused(world, lambda: interview(world, uid, at(D(2026, 2, 27), 9), world.officers[:2]), ValidationError,
            match="立案")


# -- evidence in the decision (art.59(二)) -------------------------------------------------------------------


def test_a_decision_without_registered_evidence_is_refused_naming_the_article(world: World) -> None:
    uid = filed(world, world.adult)
    c.conclude_investigation(world.uow(), uid, on=MAR2, data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000"),
        reasons="情节一般"))
    c.give_prior_notice(world.uow(), uid, on=MAR2)
    world.set_today(D(2026, 3, 10))
    c.end_statement_period(world.uow(), uid, on=D(2026, 3, 10))
    err = refused(world, lambda: c.decide_penalty(world.uow(), uid, on=D(2026, 3, 10), fine=Decimal("1000")),
                  ValidationError)
    assert "第五十九条第二项" in err.message
    evidence(world, uid)
    c.decide_penalty(world.uow(), uid, on=D(2026, 3, 10), fine=Decimal("1000"))
    with world.uow() as u:
        listed = decision_evidence(c.load_case(u.session, uid))
    assert len(listed) == 1 and "现场照片" in listed[0] and listed[0].endswith("证明当事人在道路上堆放物料的事实")


def test_evidence_needs_what_it_proves(world: World) -> None:
    uid = pending(world, world.adult)
    refused(world, lambda: R.add_evidence(world.uow(), uid, R.EvidenceInput(
        EvidenceKind.DOCUMENT, "营业执照复印件", "当事人提供", D(2026, 3, 2), "张三", "")), ValidationError,
        match="证明对象")


# -- the written records' mandatory items and ties ------------------------------------------------------------


def test_legal_review_covers_every_item_of_article_58(world: World) -> None:
    uid = pending(world, world.adult)
    items = [[i, "符合规定"] for i in R.LEGAL_REVIEW_ITEMS[:-1]]
    err = refused(world, lambda: R.add_record(world.uow(), uid, R.RecordInput(CaseRecordKind.LEGAL_REVIEW, D(2026, 3, 9), {
        "reviewer": "赵法审", "opinion": "同意", "items": items})), ValidationError)
    assert "第五十八条" in err.message and R.LEGAL_REVIEW_ITEMS[-1] in err.message
    R.add_record(world.uow(), uid, R.RecordInput(CaseRecordKind.LEGAL_REVIEW, D(2026, 3, 9), {
        "reviewer": "赵法审", "opinion": "同意", "items": [*items, [R.LEGAL_REVIEW_ITEMS[-1], "不涉嫌犯罪"]]}))


def test_records_refuse_missing_items_and_a_hearing_not_held(world: World) -> None:
    uid = pending(world, world.adult)
    refused(world, lambda: R.add_record(world.uow(), uid, R.RecordInput(
        CaseRecordKind.COLLECTIVE, D(2026, 3, 9), {"presider": "镇长", "discussion": "同意"}, place="会议室",
        started_at=at(D(2026, 3, 9), 15), ended_at=at(D(2026, 3, 9), 16))), ValidationError, match="记录人")
    refused(world, lambda: R.add_record(world.uow(), uid, R.RecordInput(CaseRecordKind.HEARING, D(2026, 3, 9), {
        "presider": "王主任", "clerk": "李文书", "investigators_case": "a", "defence": "b", "final_statement": "c",
        "opinion": "d", "attendees": ["孙成年"]}, place="会议室", started_at=at(D(2026, 3, 9), 9),
        ended_at=at(D(2026, 3, 9), 10))), TransitionRefused, match="第六十四条")


def test_preservation_is_decided_within_seven_working_days(world: World) -> None:
    uid = pending(world, world.adult)
    info = R.add_record(world.uow(), uid, R.RecordInput(CaseRecordKind.PRESERVATION, D(2026, 3, 2), {
        "reason": "证据可能灭失", "approver": "镇长", "keep_place": "执法队物证室", "items": [["钢管", "6米", "20根"]]},
        officer_uids=world.officers[:2]))
    world.set_today(D(2026, 3, 12))
    refused(world, lambda: R.decide_preservation(world.uow(), info.uid, on=D(2026, 3, 12), handling="解除保存，退还当事人"),
            TransitionRefused, match="第五十六条")
    R.decide_preservation(world.uow(), info.uid, on=D(2026, 3, 11), handling="解除保存，退还当事人")
    kinds = {r.kind for r in R.list_records(world.uow(), uid)}
    assert "preservation" in kinds


def test_service_of_a_document_not_issued_is_refused(world: World) -> None:
    uid = pending(world, world.adult)
    refused(world, lambda: R.record_service(world.uow(), uid, R.ServiceInput(
        "hearing_notice", ServiceMethod.DIRECT, "孙成年", D(2026, 3, 3), world.officers[:2])), ValidationError,
        match="尚未出具")
    refused(world, lambda: R.record_service(world.uow(), uid, R.ServiceInput(
        "prior_notice", ServiceMethod.LEFT, "孙成年", D(2026, 3, 3), world.officers[:2])), ValidationError,
        match="第八十九条")
    R.record_service(world.uow(), uid, R.ServiceInput("prior_notice", ServiceMethod.LEFT, "孙成年", D(2026, 3, 3),
                                                      world.officers[:2], refusal_reason="拒绝签收", witness="村委会主任"))


# -- a complete hearing case, through the services, and its case file -----------------------------------------


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


@pytest.fixture(scope="module")
def hearing_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, str]:
    """The demo's hearing case: every record entered through the record services (tools/demo/case_records.py)."""
    from tools.demo.small import _Demo, generate_demo

    path: Path = tmp_path_factory.mktemp("hearing") / "demo.sqlite3"
    db = Database.open(path)
    originals = (_Demo.seed_cases, _Demo.seed_inspections, _Demo.seed_mediation)
    uids: list[str] = []
    # Only the people and one hearing case: the rest of the demo is not needed here. All three are put back: a
    # later test's demo (test_upgrade_keeps_unsent) would otherwise have no inspections and no mediations.
    _Demo.seed_cases = lambda self: uids.append(self.hearing_case(date(2025, 9, 1), self.orgs[0])) or 1  # type: ignore[method-assign]
    _Demo.seed_inspections = lambda self, n: []  # type: ignore[method-assign]
    _Demo.seed_mediation = lambda self, n: None  # type: ignore[method-assign]
    try:
        generate_demo(db)
    finally:
        _Demo.seed_cases, _Demo.seed_inspections, _Demo.seed_mediation = originals  # type: ignore[method-assign]
    return db, uids[0]


def _corner_number(page: PageObject) -> int | None:
    """The number drawn in the page's top right corner (卷内页码), if any."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found: list[str] = []

    def visit(text: str, _cm: object, tm: list[float], _font: object, _size: object) -> None:
        if tm[5] > height - 12 * mm and tm[4] > width - 40 * mm and text.strip().isdigit():
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return int(found[0]) if found else None


EXPECTED = ["行政处罚决定书", "立案审批表", "询问（调查）笔录", "证据清单", "调查终结报告", "法制审核意见书", "集体讨论记录",
            "行政处罚事先告知书", "听证告知书", "陈述申辩笔录", "陈述申辩复核意见书", "听证通知书", "听证笔录", "听证报告",
            "送达回证", "送达回证", "送达回证", "送达回证", "罚没款缴纳记录", "结案审批表"]


def test_the_hearing_case_file_holds_every_record_in_order_with_matching_pages(hearing_file: tuple[Database, str]) -> None:
    db, uid = hearing_file
    info = print_case_file(demo_uow(db), uid)
    assert [t for t, _n in info.documents] == EXPECTED
    assert info.not_issued == ()
    reader = PdfReader(io.BytesIO(info.pdf))
    pages = [p.extract_text() for p in reader.pages]
    corner = [_corner_number(p) for p in reader.pages]  # the file page number, top right
    first_numbered = next(i for i, n in enumerate(corner) if n is not None)
    contents = "".join(pages[1:first_numbered]).replace("\n", "").replace(" ", "")  # may run over two pages
    # The contents list prints each document's range, in file order.
    pos = 0
    for rng in info.pages_of:
        found = contents.find(rng, pos)
        assert found >= 0, rng
        pos = found + len(rng)
    # Each document starts on the file page its range names and its own number is printed there.
    by_page: dict[int, str] = {}
    for text, n in zip(pages[first_numbered:-1], corner[first_numbered:-1], strict=True):
        assert n is not None, text[:80]
        by_page[n] = text.replace("\n", "").replace(" ", "")
    assert corner[0] is None and corner[-1] is None  # cover and notes sheet are not numbered
    assert sorted(by_page) == list(range(1, len(by_page) + 1))
    for (title, number), rng in zip(info.documents, info.pages_of, strict=True):
        first = int(rng.split("-")[0])
        assert number.replace(" ", "") in by_page[first] and title in by_page[first], (title, rng)
    assert "上述事实，有下列证据证明" in by_page[1] and "现场照片" in by_page[1]
    assert f"共{len(info.documents)}件，{len(by_page)}页" in pages[0].replace("\n", "").replace(" ", "")


def test_the_review_precheck_finds_nothing_in_the_hearing_case(hearing_file: tuple[Database, str]) -> None:
    db, uid = hearing_file
    with db.read_factory() as s:
        case = s.scalar(select(PenaltyCase).where(PenaltyCase.uid == uid))
        assert case is not None and case.hearing_held_on is not None
        measures = list(s.scalars(select(CoerciveMeasure).where(CoerciveMeasure.case_id == case.id)))
        assert precheck(case, measures, Settings(s), load_calendar(s)) == []


def test_each_new_document_prints_its_mandatory_items(hearing_file: tuple[Database, str]) -> None:
    db, uid = hearing_file
    text = _text(print_case_file(demo_uow(db), uid).pdf).replace(" ", "")
    interview_items = ["询问时间", "询问地点", "询问次数", "第一次", "询问人", "执法证号", "记录人", "被询问人", "性别",
                       "出生日期", "身份证件号码", "工作单位及职务", "住址", "联系电话", "与本案关系", "问：", "答：",
                       "以上笔录我已看过"]
    hearing_items = ["听证主持人", "书记员", "出席人员", "委托代理人", "案件调查人员", "当事人最后陈述", "听证主持人意见"]
    review_items = list(R.LEGAL_REVIEW_ITEMS) + ["审核意见", "审核人员"]
    other_items = ["证明对象", "取证人", "讨论结论", "参加人员", "复核", "送达方式", "签收日期", "送达人",
                   "《行政处罚事先告知书》", "《听证通知书》", "《行政处罚决定书》", "罚没款票据号码", "实缴金额",
                   "调查认定的违法事实", "处理意见"]
    missing = [x for x in interview_items + hearing_items + review_items + other_items if x not in text]
    assert not missing


def test_new_documents_refuse_without_their_mandatory_items(world: World) -> None:
    uid = filed(world, world.adult)
    for doc_type, label in (("evidence_list", "证据登记"), ("evidence_sheet", "照片证据"), ("payment_record", "缴款日期")):
        with pytest.raises(ValidationError, match=label):
            issue_document(world.uow(), doc_type, uid)
    kept = R.add_record(world.uow(), uid, R.RecordInput(CaseRecordKind.PRESERVATION, MAR2, {
        "reason": "证据可能灭失", "approver": "镇长", "keep_place": "物证室", "items": [["钢管", "6米", "20根"]]},
        officer_uids=world.officers[:2]))
    with pytest.raises(ValidationError, match="尚未作出处理决定"):
        issue_document(world.uow(), "preservation_decision", kept.uid)


def test_the_precheck_finds_overlapping_interviews_two_devices_recorded(world: World) -> None:
    a, b = filed(world, world.adult), filed(world, world.adult)
    world.set_today(D(2026, 3, 10))
    interview(world, a, at(D(2026, 3, 3), 9), world.officers[:2])
    # The second device did not know of the first interview: its row arrives by bundle, past the entry check.
    with world.uow() as u:
        case_b = c.load_case(u.session, b)
        first = u.session.scalar(select(CaseInterview).where(CaseInterview.case_id != case_b.id))
        assert first is not None
        u.session.add(CaseInterview(township_id=case_b.township_id, case_id=case_b.id, started_at=at(D(2026, 3, 3), 9, 10),
                                    ended_at=at(D(2026, 3, 3), 9, 40), place="现场", name="证人甲", relation="证人",
                                    interviewer_uids=first.interviewer_uids, recorder_uid=first.recorder_uid, qa="[]"))
        u.commit()
    with world.uow() as u:
        case = c.load_case(u.session, b)
        findings = precheck(case, [], Settings(u.session), load_calendar(u.session))
    assert [f.code for f in findings if f.code == "interview_overlap"] == ["interview_overlap"]
