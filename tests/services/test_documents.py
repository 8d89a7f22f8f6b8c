"""Official documents from demo records: mandatory content, embedded fonts, locking, reprints, verification."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

import main
from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.case_records import CaseInterview, CaseRecord, EvidenceItem, ServiceRecord
from models.enums import AgreementForm, CaseRecordKind, CaseStatus, InspectionResult, PartyKind, Procedure
from models.inspection import Inspection
from models.mediation import FollowUpVisit, MediationCase, MediationCommittee
from models.org import Officer, Squad
from models.party import Party
from models.records import IssuedDocument
from services.core.db import Database
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.documents.case_file import print_case_file
from services.documents.fonts import check_text, font_set
from services.documents.issuing import correct_document, issue_document, render, reprint
from services.documents.registry import doc_types
from services.documents.textfmt import cn_date, rmb_upper, tidy
from services.documents.verify import verify_pdf
from services.procedures.legal_guards import summons_inputs
from services.reference.catalogue import statute_facts
from tests.cli_unlock import main_unlocked
from tests.services.conftest import copy_demo
from tests.services.unlock import demo_reader, demo_uow
from tools.demo.small import DEMO_PASSWORD

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats", "Times-Bold", "Helvetica-Bold"}
SUMMONS = {"hearing_at": "2025-10-01 09:30", "hearing_place": "竹根镇人民政府三楼会议室", "presider": "王主任",
           "clerk": "李文书", "members": "赵委员"}
INPUTS: dict[str, dict[str, str]] = {"hearing_summons": SUMMONS, "rectification_order": {"item_code": "SR-003"}}


def _copy(src: Path, dst: Path) -> Path:
    a, b = sqlite3.connect(str(src)), sqlite3.connect(str(dst))
    a.backup(b)
    a.close()
    b.close()
    return dst


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    path = copy_demo(demo_template, tmp_path_factory.mktemp("documents") / "demo.sqlite3")
    _copy(path, path.with_name("pristine.sqlite3"))  # before any test issues a document
    return path


@pytest.fixture(scope="module")
def db(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.dispose()


@pytest.fixture
def scratch(demo_path: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo database, for tests that change records."""
    database = Database.open(_copy(demo_path.with_name("pristine.sqlite3"), tmp_path / "scratch.sqlite3"))
    yield database
    database.dispose()


def uow(db: Database) -> UnitOfWork:
    return demo_uow(db)


def text_of(pdf: bytes) -> str:
    """All page text with whitespace removed (CJK lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def fonts_in(pdf: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, embedded as FontFile2) for every font any page uses."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            f = font.get_object()
            desc = f.get("/FontDescriptor")
            out.append((str(f["/BaseFont"]), bool(desc is not None and "/FontFile2" in desc.get_object())))
    return out


# -- records per type, and what each printed document must show -------------------------------------


def _cases(s: Session) -> list[PenaltyCase]:
    return list(s.scalars(select(PenaltyCase).order_by(PenaltyCase.id)))


def _certs(case: PenaltyCase) -> list[str]:
    return [link.officer.cert_number for link in case.officer_links]


def _party(p: Party | None) -> list[str]:
    assert p is not None
    return [p.name, p.id_number, p.address]


def _remedy() -> list[str]:
    return ["六十日", "六个月", "乐山市五通桥区人民政府", "行政复议", "行政诉讼"]


def _pick(s: Session, doc_type: str) -> tuple[Any, list[str]]:
    """A demo record for ``doc_type`` and the values its document must contain (from the record itself)."""
    cases = _cases(s)
    general = [c for c in cases if c.procedure is Procedure.GENERAL]
    if doc_type == "inspection_record":
        i = s.scalars(select(Inspection).where(Inspection.party_id.is_not(None))).first()
        assert i is not None
        certs = [link.officer.cert_number for link in i.officer_links]
        return i, [i.number, i.place, *_party(i.party), *certs, "第1页共"]
    if doc_type == "rectification_order":
        i = s.scalars(select(Inspection).where(Inspection.result == InspectionResult.ORDERED)).first()
        assert i is not None and i.rectification_deadline is not None
        return i, [*_party(i.party), cn_date(i.rectification_deadline), "改正", *_remedy()]
    if doc_type == "case_filing_form":
        c = general[0]
        return c, [c.number, c.cause, *_party(c.party), *_certs(c), cn_date(c.filed_on)]
    if doc_type == "interview_record":
        r = s.scalars(select(CaseInterview).order_by(CaseInterview.id)).first()
        assert r is not None
        certs = [o.cert_number for o in s.scalars(select(Officer).where(Officer.uid.in_(r.interviewers)))]
        return r, [r.name, r.relation, r.place, *certs, *(q for q, _a in r.questions), "第一次", "第1页共", "回避"]
    if doc_type in _RECORD_TYPES:
        return _pick_record(s, doc_type)
    if doc_type == "prior_notice":
        c = next(c for c in general if c.notice_number)
        assert c.notified_fine is not None
        return c, [c.notice_number, *_party(c.party), rmb_upper(c.notified_fine), "陈述", "申辩", "0833-3301234"]
    if doc_type == "hearing_notice":
        c = next(c for c in general if c.hearing_rights)
        assert c.notified_fine is not None
        return c, [*_party(c.party), rmb_upper(c.notified_fine), "听证", "五个工作日"]
    if doc_type == "hearing_summons":
        # The open request: the demo's heard case has its summons issued already (with the demo's arrangement);
        # the arrangement the 听证通知 step recorded wins over the typed inputs (行政处罚法第六十四条第（二）项)
        c = next(c for c in general if c.hearing_requested_on and c.hearing_held_on is None)
        given = {**SUMMONS, **summons_inputs(c)}
        return c, [*_party(c.party), "2025年10月1日9时30分", *(v for k, v in given.items() if k != "hearing_at")]
    if doc_type == "summary_decision":
        c = next(c for c in cases if c.procedure is Procedure.SUMMARY and (c.fine_amount or 0) > 0)
        assert c.fine_amount is not None
        # Review first (行政复议法 art.23): 60 days to the district government, then 15 days to sue.
        return c, [c.decision_number, *_party(c.party), rmb_upper(c.fine_amount), f"¥{c.fine_amount}", "复议前置",
                   "六十日", "十五日", "乐山市五通桥区人民政府", *_certs(c), c.power_item.penalty_provision if c.power_item else "?"]
    if doc_type == "penalty_decision":
        c = next(c for c in general if c.decision_number and c.fine_amount and c.no_penalty_ground is None)
        assert c.fine_amount is not None and c.power_item is not None
        return c, [c.decision_number, *_party(c.party), rmb_upper(c.fine_amount), f"¥{c.fine_amount}",
                   cn_date(c.decision_date), c.power_item.breached_provision, c.power_item.penalty_provision,
                   "十五日", "百分之三", *_remedy()]
    if doc_type == "no_penalty_decision":
        c = next(c for c in general if c.decision_number and c.no_penalty_ground is not None)
        return c, [c.decision_number, *_party(c.party), cn_date(c.decision_date), "第三十三条", "不予行政处罚",
                   *_remedy()]
    if doc_type == "service_receipt":
        c = next(c for c in general if c.served_on)
        return c, [c.decision_number, c.party.name if c.party else "?", cn_date(c.served_on), "直接送达"]
    if doc_type == "coercive_decision":
        m = s.scalars(select(CoerciveMeasure)).first()
        assert m is not None
        case = s.get(PenaltyCase, m.case_id)
        assert case is not None
        assert case.power_item is not None  # the law that authorises the measure (行政强制法第十条、第二十四条)
        return m, [m.decision_number, *_party(case.party), *(i.name for i in m.items), "三十日", *_remedy(),
                   statute_facts(case.power_item.code).coercive]
    if doc_type == "demand_notice":
        c = next(c for c in general if c.enforcement_started_on)
        assert c.fine_amount is not None
        return c, [c.decision_number, *_party(c.party), rmb_upper(c.fine_amount), "十日", "陈述", "申辩"]
    if doc_type == "transfer_letter":
        t = s.scalars(select(Transfer).where(Transfer.case_id.is_not(None)).order_by(Transfer.id)).first()
        assert t is not None
        return t, [t.number, t.receiving_org, t.reason, "回执"]
    if doc_type == "closing_form":
        c = next(c for c in general if c.status is CaseStatus.ARCHIVED)
        return c, [c.number, c.decision_number, c.party.name if c.party else "?", cn_date(c.closed_on)]
    mediations = list(s.scalars(select(MediationCase).order_by(MediationCase.id)))
    names = lambda mc: [link.party.name for link in mc.party_links]  # noqa: E731
    committee = lambda mc: s.get(MediationCommittee, mc.committee_id).name  # type: ignore[union-attr]  # noqa: E731
    if doc_type == "mediation_application":
        mc = mediations[0]
        return mc, [mc.number, committee(mc), *names(mc), mc.summary]
    if doc_type == "mediation_agreement":
        mc = next(m for m in mediations if m.agreement_form is AgreementForm.WRITTEN)
        o = mc.obligations[0]
        return mc, [mc.agreement_number, committee(mc), *names(mc), tidy(mc.agreement_terms), o.what,
                    rmb_upper(o.amount) if o.amount else o.subject, o.manner, cn_date(o.due_on), mc.responsibility]
    if doc_type == "oral_agreement_record":
        mc = next(m for m in mediations if m.agreement_form is AgreementForm.ORAL)
        return mc, [mc.agreement_number, *names(mc), tidy(mc.agreement_terms)]  # dates typed ISO read 年月日
    if doc_type == "follow_up_record":
        v = s.scalars(select(FollowUpVisit)).first()
        assert v is not None
        return v, [v.visitor, cn_date(v.visited_on), *names(v.case)]
    if doc_type == "confirmation_application":
        mc = next(m for m in mediations if m.confirmation_applied_on)
        return mc, [mc.confirmation_court, mc.agreement_number, *names(mc), "第二百零五条、第二百零六条",
                    "司法确认程序的若干规定", mc.obligations[0].what]
    raise AssertionError(doc_type)


_RECORD_TYPES = {"evidence_list", "evidence_sheet", "service_record", "payment_record", "statement_record",
                 "review_opinion", "hearing_record", "hearing_report", "investigation_report", "legal_review_opinion",
                 "collective_record", "preservation_notice", "preservation_decision", "enforcement_application"}
_KIND_OF = {"statement_record": CaseRecordKind.STATEMENT, "review_opinion": CaseRecordKind.STATEMENT,
            "hearing_record": CaseRecordKind.HEARING, "hearing_report": CaseRecordKind.HEARING,
            "investigation_report": CaseRecordKind.INVESTIGATION_REPORT,
            "legal_review_opinion": CaseRecordKind.LEGAL_REVIEW, "collective_record": CaseRecordKind.COLLECTIVE,
            "preservation_notice": CaseRecordKind.PRESERVATION, "preservation_decision": CaseRecordKind.PRESERVATION,
            "enforcement_application": CaseRecordKind.ENFORCEMENT_APPLICATION}


def _pick_record(s: Session, doc_type: str) -> tuple[Any, list[str]]:
    """The case-file records (models/case_records.py): a demo record and what its document must show."""
    if doc_type in ("evidence_list", "evidence_sheet"):
        items = s.scalars(select(EvidenceItem).order_by(EvidenceItem.id)).all()
        e = next(i for i in items if i.attachment_uid or doc_type == "evidence_list")
        return e.case, [e.case.cause, e.name, e.proves, e.collector, cn_date(e.obtained_on)]
    if doc_type == "service_record":
        r = s.scalars(select(ServiceRecord).order_by(ServiceRecord.id)).first()
        assert r is not None
        return r, [r.doc_title, r.doc_number, r.recipient, cn_date(r.served_on), "直接送达"]
    if doc_type == "payment_record":
        c = next(c for c in _cases(s) if c.procedure is Procedure.GENERAL and c.paid_on and c.receipt_number)
        return c, [c.receipt_number, c.decision_number, cn_date(c.paid_on), "第六十七条"]
    r = s.scalars(select(CaseRecord).where(CaseRecord.kind == _KIND_OF[doc_type]).order_by(CaseRecord.id)).first()
    assert r is not None
    f = r.fields
    expected: dict[str, Callable[[], list[str]]] = {  # only the picked type's fields exist
        "statement_record": lambda: [f["speaker"], f["statement"], "第四十五条", "第1页共"],
        "review_opinion": lambda: ["第四十五条", "不予采纳", "不因"],
        "hearing_record": lambda: [f["presider"], f["clerk"], f["defence"], f["final_statement"], *f["attendees"], "回避"],
        "hearing_report": lambda: [f["presider"], f["opinion"], "第六十五条"],
        "investigation_report": lambda: [f["proposal"], "证据情况", *_certs(r.case)],
        "legal_review_opinion": lambda: [*(item for item, _finding in f["items"]), f["reviewer"], "第五十八条"],
        "collective_record": lambda: [f["presider"], f["recorder"], f["conclusion"], *f["attendees"]],
        "preservation_notice": lambda: [f["keep_place"], f["approver"], *(x[0] for x in f["items"]), "第五十六条", "七个工作日"],
        "preservation_decision": lambda: [*(x[0] for x in f["items"]), "第五十六条", "解除先行登记保存"],
        "enforcement_application": lambda: [f["court"], r.case.decision_number, "第五十四条", "第五十五条",
                                    "申请强制执行标的情况"],
    }
    shown = expected[doc_type]()
    internal = doc_type in ("investigation_report", "legal_review_opinion", "collective_record", "hearing_report")
    party = r.case.party
    assert party is not None
    return r, [party.name, *shown] if internal else [*_party(party), *shown]  # internal records name the party


TYPES = [t.name for t in doc_types()]


@pytest.mark.parametrize("doc_type", TYPES)
def test_each_type_prints_its_mandatory_items(db: Database, doc_type: str) -> None:
    with demo_reader(db) as s:
        record, expected = _pick(s, doc_type)
        uid = record.uid
    info = issue_document(uow(db), doc_type, uid, INPUTS.get(doc_type))
    text = text_of(info.pdf)
    missing = [e for e in expected if re.sub(r"\s+", "", e) not in text]
    assert not missing, f"{doc_type}: not printed: {missing}"
    # The 司法确认申请书 is the parties' document: registered under a number, which it does not carry.
    printed_number = re.sub(r"\s+", "", info.number) in text
    assert info.number and printed_number is (doc_type != "confirmation_application")
    fonts = fonts_in(info.pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert not any(name.lstrip("/").split("+")[-1] in STANDARD_14 for name, _ in fonts), fonts
    # Locked: issuing again gives the same document, and a reprint gives the same bytes.
    again = issue_document(uow(db), doc_type, uid, INPUTS.get(doc_type))
    assert (again.uid, again.number, again.pdf) == (info.uid, info.number, info.pdf)
    assert reprint(uow(db), info.number).pdf == info.pdf


def test_reprint_in_a_fresh_process_is_byte_identical(db: Database, demo_path: Path, tmp_path: Path) -> None:
    with demo_reader(db) as s:
        case = next(c for c in _cases(s) if c.decision_number and c.procedure is Procedure.GENERAL)
        ref = case.uid
    info = issue_document(uow(db), "penalty_decision", ref)
    out = tmp_path / "again.pdf"
    code = ("import sys; from pathlib import Path; from services.core.db import Database; from services.core.uow import "
            "UnitOfWork; from services.documents.issuing import reprint; from tests.services.unlock import demo_reader, demo_uow; "
            "db = Database.open(Path(sys.argv[1])); "
            "Path(sys.argv[3]).write_bytes(reprint(demo_uow(db, 't'), sys.argv[2]).pdf); db.dispose()")
    subprocess.run([sys.executable, "-c", code, str(demo_path), info.number, str(out)], check=True,
                   cwd=Path(main.__file__).parent)
    assert out.read_bytes() == info.pdf


def test_verify_accepts_the_original_and_rejects_a_tampered_copy(db: Database, tmp_path: Path) -> None:
    with demo_reader(db) as s:
        ref = next(c for c in _cases(s) if c.notice_number).uid
    info = issue_document(uow(db), "prior_notice", ref)
    good = info.save(tmp_path / "good.pdf")
    result = verify_pdf(uow(db), good)
    assert result.ok and result.number == info.number and "真实有效" in result.message
    data = bytearray(info.pdf)
    data[len(data) // 2] ^= 0x01  # one byte inside a compressed page stream
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    result = verify_pdf(uow(db), bad)
    assert not result.ok and result.number == info.number and "改动" in result.message
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert not verify_pdf(uow(db), foreign).ok


def test_missing_mandatory_item_is_refused_by_name(scratch: Database) -> None:
    with scratch.write_factory() as s:
        # A natural person's case: the notice names the missing 住址 (an organisation's would be 住所).
        case = next(c for c in _cases(s) if c.notice_number and c.party and c.party.kind is PartyKind.PERSON
                    and c.closed_on is None)  # the demo issued the notices of the cases it closed
        assert case.party is not None
        case.party.address = ""
        for sq in s.scalars(select(Squad)):
            sq.phone = ""
        s.commit()
        ref = case.uid
    with pytest.raises(ValidationError) as err:
        issue_document(uow(scratch), "prior_notice", ref)
    assert "缺少" in err.value.message and "住址" in err.value.message and "中队联系电话" in err.value.message
    with demo_reader(scratch) as s:  # refused: nothing issued, no number used
        assert s.scalar(select(PenaltyCase.id).where(PenaltyCase.uid == ref)) is not None
    with pytest.raises(ValidationError, match="听证主持人"):
        issue_document(uow(scratch), "hearing_summons", ref)


def _rename_party_of_decision(db: Database, name: str) -> str:
    with db.write_factory() as s:
        # An open case: the demo issued the documents of the cases it closed (结案 needs them), and those are locked.
        case = next(c for c in _cases(s) if c.decision_number and c.procedure is Procedure.GENERAL and c.party
                    and c.closed_on is None)
        assert case.party is not None
        case.party.name = name
        s.commit()
        return case.uid


def test_rare_characters_print_and_fall_back_to_a_font_that_has_them(scratch: Database) -> None:
    fonts = font_set()
    assert check_text("王䶮") == []  # 䶮 U+4DAE: in AR PL UMing, not in WenQuanYi
    assert not fonts.has(fonts.body, "㵘") and fonts.has(fonts.fallback, "㵘")
    ref = _rename_party_of_decision(scratch, "王䶮㵘")
    info = issue_document(uow(scratch), "penalty_decision", ref)
    assert "王䶮㵘" in text_of(info.pdf)
    names = [name for name, _ in fonts_in(info.pdf)]
    assert any("DroidSansFallback" in n for n in names), names


def test_a_character_no_font_has_refuses_the_document(scratch: Database) -> None:
    assert check_text("𠮷田") == ["𠮷"]  # U+20BB7 is in none of the three bundled fonts
    ref = _rename_party_of_decision(scratch, "𠮷田")
    with pytest.raises(ValidationError) as err:
        issue_document(uow(scratch), "penalty_decision", ref)
    assert "𠮷" in err.value.message and "U+20BB7" in err.value.message and "姓名或名称" in err.value.message


def test_correction_is_a_new_document_and_the_old_one_stays(scratch: Database) -> None:
    with demo_reader(scratch) as s:
        ref = next(c for c in _cases(s) if c.decision_number and c.fine_amount and c.procedure is Procedure.GENERAL
                   and c.closed_on is None).uid  # not issued by the demo yet
    original = issue_document(uow(scratch), "penalty_decision", ref)
    fixed = correct_document(uow(scratch), original.number, {"party.address": "五通桥区竹根镇新华路9号"}, "住址笔误")
    assert fixed.number != original.number and fixed.supersedes_uid == original.uid
    text = text_of(fixed.pdf)
    assert "更正" in text and original.number in text and "五通桥区竹根镇新华路9号" in text
    assert reprint(uow(scratch), original.number).pdf == original.pdf  # the original is never edited
    assert issue_document(uow(scratch), "penalty_decision", ref).uid == fixed.uid  # the one in force
    with pytest.raises(ValidationError):
        correct_document(uow(scratch), original.number, {"party.address": "x"}, "再次更正旧文书")


def test_case_file_has_cover_contents_documents_and_notes(db: Database) -> None:
    with demo_reader(db) as s:
        case = next(c for c in _cases(s) if c.status is CaseStatus.ARCHIVED)
        ref, number = case.uid, case.decision_number
    cf = print_case_file(uow(db), ref)
    text = text_of(cf.pdf)
    for item in ("行政处罚案卷", "卷内目录", "卷内备考表", number, "立案审批表", "送达回证", "结案审批表"):
        assert item in text
    assert cf.documents[0][0] == "行政处罚决定书"  # the decision comes first (docs/legal-basis.md §6.2)
    assert cf.pages == len(PdfReader(io.BytesIO(cf.pdf)).pages) >= len(cf.documents) + 3


def test_preview_render_is_deterministic() -> None:
    snap = {"doc_type": "closing_form", "title": "结案审批表", "agency": "竹根镇人民政府", "number": "X〔2026〕第1号",
            "date": "2026年1月2日", "date_iso": "2026-01-02", "fonts": {"body": "", "title": ""},
            "case_number": "X", "procedure": "普通程序", "cause": "c", "party_name": "p", "filed": "/",
            "decision_number": "/", "decision_date": "/", "penalty": "/", "paid": "/", "disposal": "/", "ground": "g"}
    assert render(snap) == render(dict(snap))


# -- command line ------------------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command as a signed-in administrator runs it: commands that need personal data in the clear (print)
    get the demo administrator's unlock flags (tests/cli_unlock.py); the others run as given."""
    code = main_unlocked(argv, DEMO_PASSWORD)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_list_masks_identifiers(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--db", str(demo_path), "parties", "--json"], capsys)
    assert code == 0 and "********" in out
    assert not re.search(r"\"\d{17}[\dX]\"", out) and not re.search(r"\"1[3-9]\d{9}\"", out)
    for kind in ("inspections", "cases", "mediations", "documents"):
        assert run(["list", "--db", str(demo_path), kind], capsys)[0] == 0
    # A mediation is named by its dispute in brief (it has no name of its own; the rows printed none).
    code, out, _ = run(["list", "--db", str(demo_path), "mediations", "--json"], capsys)
    with sqlite3.connect(str(demo_path)) as conn:
        summaries = [r[0] for r in conn.execute("SELECT summary FROM mediation_case WHERE deleted_at IS NULL "
                                                "ORDER BY id")]
    names = [row["name"] for row in json.loads(out)]
    assert code == 0 and names and len(names) == len(summaries)
    assert all(n and s.startswith(n.removesuffix("…")) and len(n) <= 31 for n, s in zip(names, summaries, strict=True))


def test_cli_print_and_verify(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["docs", "types"], capsys)
    assert code == 0 and all(t in out for t in TYPES) and "case_file" in out
    with sqlite3.connect(str(demo_path)) as conn:
        number = conn.execute("SELECT decision_number FROM penalty_case WHERE procedure='general' AND "
                              "decision_number != '' ORDER BY id LIMIT 1").fetchone()[0]
    pdf = tmp_path / "d.pdf"
    code, out, _ = run(["print", "--db", str(demo_path), "--doc", "penalty_decision", "--record", number,
                        "--out", str(pdf)], capsys)
    assert code == 0 and pdf.exists() and number in out
    assert run(["docs", "verify", "--db", str(demo_path), str(pdf)], capsys)[0] == 0
    pdf.write_bytes(pdf.read_bytes().replace(b"/Creator", b"/Creatr"))
    code, out, _ = run(["docs", "verify", "--db", str(demo_path), str(pdf)], capsys)
    assert code == 1 and "改动" in out
    code, _, err = run(["print", "--db", str(demo_path), "--doc", "no_such_type", "--record", number,
                        "--out", str(pdf)], capsys)
    assert code == 3 and "没有名为" in err
    code, _, err = run(["print", "--db", str(demo_path), "--doc", "hearing_summons", "--record", number,
                        "--set", "bogus=1", "--out", str(pdf)], capsys)
    assert code == 3 and "bogus" in err
    cf = tmp_path / "file.pdf"
    assert run(["print", "--db", str(demo_path), "--case-file", number, "--out", str(cf)], capsys)[0] == 0
    with pytest.raises(SystemExit) as usage:
        main.main(["print", "--db", str(demo_path), "--out", str(cf)])
    assert usage.value.code == 2



@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="needs zbarimg and pdftoppm")
def test_qr_code_reads_back_number_and_snapshot_digest(db: Database, tmp_path: Path) -> None:
    with demo_reader(db) as s:
        ref = next(c for c in _cases(s) if c.decision_number and c.procedure is Procedure.SUMMARY).uid
    info = issue_document(uow(db), "summary_decision", ref)
    pdf = info.save(tmp_path / "d.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "p")], check=True)
    out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "p.png")], capture_output=True, text=True,
                         check=True).stdout.strip()
    with demo_reader(db) as s:
        issued = s.scalar(select(IssuedDocument).where(IssuedDocument.uid == info.uid))  # loads opened
        assert issued is not None
        stored = issued.snapshot
    assert out == f"EnforceDesk|{info.number}|{hashlib.sha256(stored.encode('utf-8')).hexdigest()}"


def test_batch_issue_reports_failures_and_continues(tmp_path: Path, demo_template: Path) -> None:
    """A campaign's rectification orders: issued one by one; one refusal does not stop the rest."""
    from services.core.db import Database
    from services.documents.batch import campaign_orders, issue_batch
    from services.read.queries import ListQuery, list_page

    path = copy_demo(demo_template, tmp_path / "batch.sqlite3")
    db = Database.open(path)
    try:
        def make_uow() -> UnitOfWork:
            return demo_uow(db, "batch")

        camp = next(r[0] for r in list_page(make_uow(), "campaigns", ListQuery()).rows if r[5] > 0)
        uids = campaign_orders(make_uow(), camp) + ["not-a-record"]
        seen: list[tuple[int, int]] = []
        result = issue_batch(make_uow, "rectification_order", uids, tmp_path / "out", inputs={"item_code": "SR-003"},
                             progress=lambda d, n: seen.append((d, n)) or True)
        assert len(result.issued) == len(uids) - 1 and [r for r, _ in result.failed] == ["not-a-record"]
        assert all(p.read_bytes().startswith(b"%PDF") for _, p in result.issued)
        assert seen[-1] == (len(uids), len(uids))
        stopped = issue_batch(make_uow, "rectification_order", uids, tmp_path / "out2",
                              inputs={"item_code": "SR-003"}, progress=lambda d, n: d < 1)
        assert stopped.cancelled and len(stopped.issued) + len(stopped.failed) == 1
    finally:
        db.dispose()
