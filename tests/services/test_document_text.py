"""Clean official text and the GB/T 9704 look, on every document type printed from the small demo.

The module issues every type for several demo records (people, individual businesses, organisations), reads
the text back from the PDFs (pypdf, line by line as laid out) and scans it: one test per text defect. The page
tests measure where things are drawn (page numbers, margins, QR code) and which faces are embedded.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlalchemy import select

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.case_records import CaseInterview, CaseRecord, ServiceRecord
from models.enums import Procedure
from models.inspection import Inspection
from models.mediation import FollowUpVisit, MediationCase
from models.records import IssuedDocument
from services.core.db import Database
from services.core.errors import AppError
from services.documents import textfmt as tf
from services.documents.fonts import check_text, font_set
from services.documents.issuing import issue_document
from services.documents.layout import MARGIN_B, MARGIN_L, MARGIN_R, MARGIN_T, PAGE_H, PAGE_W, Builder
from services.documents.linebreak import CANNOT_END, CANNOT_START
from services.documents.registry import doc_types
from tests.services.conftest import copy_demo
from tests.services.unlock import demo_reader, demo_uow

TABLES: dict[str, Any] = {"penalty_case": PenaltyCase, "inspection": Inspection, "coercive_measure": CoerciveMeasure,
                          "transfer": Transfer, "mediation_case": MediationCase, "follow_up_visit": FollowUpVisit,
                          "case_interview": CaseInterview, "case_record": CaseRecord, "service_record": ServiceRecord}
INPUTS: dict[str, dict[str, str]] = {
    "hearing_summons": {"hearing_at": "2025-10-01 09:30", "hearing_place": "竹根镇人民政府三楼会议室",
                        "presider": "王主任", "clerk": "李文书", "members": "赵委员"},
    "rectification_order": {"item_code": "SR-003"},
}
# Decisions of one procedure are not issued for cases of the other.
PROCEDURE = {"summary_decision": Procedure.SUMMARY, "penalty_decision": Procedure.GENERAL,
             "no_penalty_decision": Procedure.GENERAL, "service_receipt": Procedure.GENERAL}
PER_KIND = 2  # documents per (type, party kind)
MAX_PER_TYPE = 5
LINE_START = "，：》。、；）"  # the marks the issue saw at the start of lines


@dataclass(frozen=True)
class Printed:
    doc_type: str
    number: str
    kind: str  # party kind of the snapshot ("" for documents without one party)
    pages: tuple[tuple[str, ...], ...]  # lines of text per page
    pdf: bytes

    @property
    def text(self) -> str:
        return "\n".join("\n".join(p) for p in self.pages)

    @property
    def prose(self) -> str:
        """The text with line breaks removed (CJK lines break anywhere)."""
        return "".join(line.strip() for page in self.pages for line in page)

    @property
    def where(self) -> str:
        return f"{self.doc_type} {self.number}"


def _lines(pdf: bytes) -> tuple[tuple[str, ...], ...]:
    reader = PdfReader(io.BytesIO(pdf))
    return tuple(tuple(line for line in page.extract_text().splitlines() if line.strip()) for page in reader.pages)


def _kind(snapshot: dict[str, Any]) -> str:
    party = snapshot.get("party") or {}
    return party.get("kind", "") if isinstance(party, dict) else ""


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[list[Printed]]:
    path = copy_demo(demo_template, tmp_path_factory.mktemp("document_text") / "demo.sqlite3")
    db = Database.open(path)
    out: list[Printed] = []
    try:
        for t in doc_types():
            model = TABLES[t.record_table]
            query = select(model).order_by(model.id)
            if t.name in PROCEDURE:
                query = query.where(model.procedure == PROCEDURE[t.name])
            with demo_reader(db) as s:
                # The party's kind, where the record has one party, to print each kind; "" otherwise.
                records = [(r.uid, r.party.kind.value if getattr(r, "party", None) else "") for r in s.scalars(query)]
            seen: Counter[str] = Counter()
            for uid, kind in records:
                if seen[kind] >= PER_KIND or sum(seen.values()) >= MAX_PER_TYPE:
                    continue
                try:
                    info = issue_document(demo_uow(db), t.name, uid, INPUTS.get(t.name))
                except AppError:
                    continue  # the record lacks what this type needs: not a document of this record
                with demo_reader(db) as s:
                    issued = s.scalar(select(IssuedDocument).where(IssuedDocument.uid == info.uid))
                    # the entity, not the bare column: its sealed snapshot loads opened with the key
                    snapshot = json.loads(issued.snapshot if issued is not None else "{}")
                seen[kind] += 1
                out.append(Printed(t.name, info.number, _kind(snapshot), _lines(info.pdf), info.pdf))
        yield out
    finally:
        db.dispose()


def test_every_type_is_printed_for_each_kind_of_party(printed: list[Printed]) -> None:
    assert {p.doc_type for p in printed} == {t.name for t in doc_types()}
    assert {"person", "organisation", "individual_business"} <= {p.kind for p in printed}


def _hits(printed: list[Printed], pattern: str, *, prose: bool = False) -> list[str]:
    found = []
    for p in printed:
        text = p.prose if prose else p.text
        for m in re.finditer(pattern, text):
            found.append(f"{p.doc_type} {p.number}: …{text[max(0, m.start() - 20):m.end() + 10]}…")
    return found


# -- one test per text defect -------------------------------------------------------------------------------


def test_no_catalogue_suffix_in_the_facts(printed: list[Printed]) -> None:
    assert not _hits(printed, r"（(单位|个人)）", prose=True)


def test_a_natural_person_is_addressed_as_you_not_as_a_unit(printed: list[Printed]) -> None:
    assert not _hits(printed, r"你（单位）", prose=True)
    people = [p for p in printed if p.kind in ("person", "individual_business")]
    assert people and not [p.where for p in people if "你单位" in p.prose.replace("移送你单位", "")]
    organisations = [p for p in printed if p.kind == "organisation" and p.doc_type == "prior_notice"]
    assert organisations and all("你单位有权进行陈述和申辩" in p.prose for p in organisations)
    persons = [p for p in printed if p.kind == "person" and p.doc_type == "prior_notice"]
    assert persons and all("你有权进行陈述和申辩" in p.prose for p in persons)


def test_no_full_stop_followed_by_a_comma_or_the_reverse(printed: list[Printed]) -> None:
    assert not _hits(printed, r"。，|，。", prose=True)


def test_no_doubled_punctuation(printed: list[Printed]) -> None:
    assert not _hits(printed, r"([，。；：、！？])\1", prose=True)


def test_dates_in_prose_are_written_in_chinese(printed: list[Printed]) -> None:
    assert not _hits(printed, r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)", prose=True)


def test_no_line_starts_with_closing_punctuation(printed: list[Printed]) -> None:
    bad = [f"{p.doc_type} {p.number}: {line!r}" for p in printed for page in p.pages for line in page
           if line.lstrip()[:1] in LINE_START]
    assert not bad


def test_no_line_ends_with_opening_punctuation(printed: list[Printed]) -> None:
    bad = [f"{p.doc_type} {p.number}: {line!r}" for p in printed for page in p.pages for line in page
           if line.rstrip()[-1:] in "（《“‘〔【"]
    assert not bad


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])", text) if len(s) >= 8]


def test_no_sentence_is_said_twice(printed: list[Printed]) -> None:
    """Neither a sentence nor a run of two clauses (the 不予处罚决定书 repeated "违法行为轻微并及时改正，
    没有造成危害后果") appears twice in one document."""
    bad = []
    for p in printed:
        sentences = _sentences(p.prose)
        bad += [f"{p.where}: {s}" for s, n in Counter(sentences).items() if n > 1]
        pairs: Counter[str] = Counter()
        for s in sentences:
            clauses = [re.sub(r"^(但|并|且|而|又)", "", c) for c in re.split(r"[，。；！？]", s) if c]
            pairs.update("，".join(clauses[i:i + 2]) for i in range(len(clauses) - 1))
        bad += [f"{p.where}: {pair}" for pair, n in pairs.items() if n > 1 and len(pair) >= 12]
    assert not bad


# -- the sentence builder ------------------------------------------------------------------------------------


def test_sentence_joins_parts_without_broken_punctuation() -> None:
    assert tf.sentence("考虑到", tf.clause("情节严重，依照裁量基准从重处罚。"), "，依据某法") == \
        "考虑到情节严重，依照裁量基准从重处罚，依据某法。"
    assert tf.tidy("从重处罚。，依据") == "从重处罚，依据" and tf.tidy("无异议，。") == "无异议。"
    assert tf.sentence("当事人对违法事实无异议") == "当事人对违法事实无异议。"
    assert tf.sentence("已改正。") == "已改正。" and tf.sentence("是否申请回避？") == "是否申请回避？"
    assert tf.sentence("罚款人民币壹佰元整（¥100.00）") == "罚款人民币壹佰元整（¥100.00）。"
    assert tf.clause("当事人称不知情。已改正。") == "当事人称不知情，已改正"


def test_dates_typed_as_iso_read_in_chinese_and_numbers_stay() -> None:
    assert tf.tidy("被申请人于2025-10-15前支付") == "被申请人于2025年10月15日前支付"
    assert tf.tidy("听证定于2025-10-01 09:30") == "听证定于2025年10月1日9时30分"
    for kept in ("0833-3301234", "92511112MA9551317H", "竹综执罚决字〔2025〕第14号", "2025-13-40"):
        assert tf.tidy(kept) == kept


def test_party_wording_and_catalogue_names() -> None:
    assert tf.you({"kind": "person"}) == "你" and tf.you({"kind": "individual_business"}) == "你"
    assert tf.you({"kind": "organisation"}) == "你单位"
    assert tf.act_name("随意倾倒、抛撒、堆放或者焚烧生活垃圾（单位）") == "随意倾倒、抛撒、堆放或者焚烧生活垃圾"
    assert tf.act_name("堆放物料（占道经营）") == "堆放物料（占道经营）"  # not a party kind: part of the name
    assert tf.restates("违法行为轻微并及时改正，没有造成危害后果，已批评教育", "违法行为轻微并及时改正，没有造成危害后果")
    assert not tf.restates("已批评教育", "违法行为轻微并及时改正，没有造成危害后果")


def test_line_breaking_keeps_closing_marks_off_the_start_and_opening_marks_off_the_end() -> None:
    b = Builder(font_set())
    width = 12 * 20  # twenty hanzi of 12 pt per line
    for text in ("甲" * 20 + "，乙丙丁。", "甲" * 19 + "《中华人民共和国行政处罚法》第七十二条", "甲" * 18 + "电话0833-3301234。"):
        para = b.para(text, indent=False)
        para.wrap(width, 1000)
        kind = getattr(para.blPara, "kind", 0)
        lines = ["".join(line[1]) if kind == 0 else "".join(str(w.text) for w in line.words)
                 for line in para.blPara.lines]
        assert all(getattr(line, "extraSpace", 0) >= -0.01 for line in para.blPara.lines)  # nothing hangs out
        assert "".join(lines) == text
        assert all(line[:1] not in CANNOT_START for line in lines[1:]), lines
        assert all(line[-1:] not in CANNOT_END for line in lines[:-1]), lines
        assert not any(a[-1:].isdigit() and b_[:1].isdigit() for a, b_ in zip(lines, lines[1:], strict=False)), lines


# -- what each document says ------------------------------------------------------------------------------


def test_no_penalty_decision_gives_its_ground_once(printed: list[Printed]) -> None:
    docs = [p for p in printed if p.doc_type == "no_penalty_decision"]
    assert docs
    for p in docs:
        assert p.prose.count("本机关决定对当事人不予行政处罚") == 1 and "第三十三条" in p.prose


def test_summary_decision_warns_of_the_surcharge_and_carries_no_filing_date(printed: list[Printed]) -> None:
    docs = [p for p in printed if p.doc_type == "summary_decision"]
    assert docs and not [p.where for p in docs if "备案" in p.prose]
    later = [p for p in docs if "当场收缴" not in p.prose]
    assert later, "the demo has on-the-spot decisions paid later at a bank"
    for p in later:
        assert "十五日内" in p.prose and "第七十二条第一款第（一）项" in p.prose
        assert "每日按罚款数额的百分之三加处罚款" in p.prose and "加处罚款的数额不超出罚款的数额" in p.prose


def test_symbols_the_song_faces_lack_still_print_through_the_fallbacks() -> None:
    """Labels moved to the title face; the Hei stays in the fallback chain for what neither Song face has."""
    fonts = font_set()
    assert not fonts.has(fonts.body, "✓") and not fonts.has(fonts.title, "✓")
    assert check_text("温度−5℃，已整改✓，☎0833-3301234，⅓面积，䶮", fonts) == []


def test_payment_text_states_rate_and_cap() -> None:
    text = tf.payment_text(15, Decimal("0.03"))
    assert "十五日内" in text and "百分之三" in text and "不超出罚款的数额" in text


# -- the GB/T 9704 look -----------------------------------------------------------------------------------


def _placed(pdf: bytes) -> list[list[tuple[float, float, str, str]]]:
    """(x, y, text, font of its first run) of every line of text, per page: runs that start at the same
    point (one text object drawn in several embedded subsets) are joined."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: dict[tuple[float, float], list[str]] = {}

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, runs: dict[Any, list[str]] = runs) -> None:
            if text.strip():
                at = (round(tm[4] * cm[0] + cm[4], 1), round(tm[5] * cm[3] + cm[5], 1))
                runs.setdefault(at, [str((font or {}).get("/BaseFont", ""))]).append(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append([(x, y, "".join(parts[1:]), parts[0]) for (x, y), parts in runs.items()])
    return pages


def test_multi_page_documents_are_numbered_like_gb_t_9704(printed: list[Printed]) -> None:
    paged = {t.name for t in doc_types() if t.paged}  # a 笔录 says "第X页 共Y页" instead
    multi = [p for p in printed if len(p.pages) > 1 and p.doc_type not in paged]
    assert multi, "some demo documents run to two pages"
    for p in multi:
        for n, runs in enumerate(_placed(p.pdf), 1):
            numbers = [(x, y) for x, y, text, _f in runs if re.fullmatch(rf"—\s*{n}\s*—", text)]
            assert len(numbers) == 1, (p.where, n, runs[-3:])
            x, y = numbers[0]
            assert y < MARGIN_B - 5 * mm  # below the type area
            assert (x > PAGE_W / 2) if n % 2 else (x < PAGE_W / 2)  # odd pages right, even pages left
    single = [p for p in printed if len(p.pages) == 1 and p.doc_type == "summary_decision"]
    assert single and not any("— 1 —" in p.text for p in single)


def test_text_stays_in_the_type_area_of_gb_t_9704(printed: list[Printed]) -> None:
    """37 mm top, 35 mm bottom, 28 mm left, 26 mm right; only page numbers, the 笔录 strips and the QR code
    are outside."""
    for p in printed[::5]:
        for runs in _placed(p.pdf):
            body = [(x, y, t) for x, y, t, _f in runs if y > MARGIN_B]
            assert body
            assert max(y for _x, y, _t in body) <= PAGE_H - MARGIN_T, p.where
            assert min(x for x, _y, _t in body) >= MARGIN_L - 0.5, p.where
            assert min(y for _x, y, _t in body) >= MARGIN_B - 1, p.where
    first = _placed(next(p.pdf for p in printed if p.doc_type == "penalty_decision"))[0]
    top = max(y for _x, y, _t, _f in first)
    assert PAGE_H - MARGIN_T - 10 * mm < top <= PAGE_H - MARGIN_T  # the agency's name opens the type area


def test_titles_are_set_in_the_bundled_heavy_song(printed: list[Printed]) -> None:
    doc = next(p for p in printed if p.doc_type == "penalty_decision")
    runs = _placed(doc.pdf)[0]
    title = [f for _x, _y, t, f in runs if t == "行政处罚决定书"]
    assert title and "EnforceDeskTitleSerifSC" in title[0]
    reader = PdfReader(io.BytesIO(doc.pdf))
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        desc = font.get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in desc  # every face embedded, the title face included


def _qr_box(pdf: bytes) -> tuple[float, float, float, float]:
    """Bounding box of the filled rectangles of page 1: the QR code's modules (nothing else is drawn as 're')."""
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    data = content.get_data().decode("latin-1")
    rects = [tuple(float(v) for v in m.groups()) for m in
             re.finditer(r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re", data)]
    assert len(rects) > 50
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[0] + r[2] for r in rects),
            max(r[1] + r[3] for r in rects))


def test_qr_code_sits_at_the_foot_not_above_the_agency(printed: list[Printed]) -> None:
    for doc_type in ("penalty_decision", "summary_decision", "interview_record", "mediation_agreement"):
        p = next(x for x in printed if x.doc_type == doc_type)
        x0, y0, x1, y1 = _qr_box(p.pdf)
        assert y1 <= MARGIN_B and y0 >= 0, (doc_type, y0, y1)  # below the type area
        assert x0 >= MARGIN_L - 3 * mm and x1 <= PAGE_W - MARGIN_R
        numbers = [x for x, _y, t, _f in _placed(p.pdf)[0] if re.fullmatch(r"—\s*1\s*—", t)]
        assert all(x > x1 for x in numbers)  # the odd page's number is at the right, clear of the code


def test_tidy_is_idempotent_on_printed_prose(printed: list[Printed]) -> None:
    """What was printed is already tidy: running the sentence builder's clean-up again changes nothing."""
    changed = [p.where for p in printed if tf.tidy(p.prose) != p.prose]
    assert not changed


def test_samples_folder_still_has_every_type() -> None:
    """README links docs/documents/<type>.png for each type of this module's issue."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\(docs/documents/([\w-]+\.png)\)", readme):
        assert (root / "docs" / "documents" / link).is_file(), link
