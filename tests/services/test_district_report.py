"""The yearly report: the district report's wording and rounding, and the same numbers in sentences and tables.

The district's published report (五通桥区2021年法治政府建设报告) is the style reference: given its
figures, the sentences must come out with its very words. For generated reports the numbers are read back out
of the Word, Excel and PDF files and compared with the tables in those same files.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from services.core.uow import UnitOfWork
from services.district import close_period, write_report
from services.district.report import ReportData, ReportTable, _head, build_report, district_voice, sections
from services.district.report_render import cell_text, render_pdf, render_xlsx, text_em, xlsx_units
from services.district.review import ReviewFigures
from services.district.stats import figure_change
from services.district.wording import (
    approx,
    approx_text,
    campaign_name,
    campaigns_text,
    change,
    grouped,
    money_text,
    numbers_in,
    percent_text,
)
from services.statistics.indicators import empty_figures
from services.statistics.yearly import rate_percent
from tests.cli_unlock import main_unlocked
from tests.services.district_helpers import YEAR, District, DistrictTemplate


def test_yu_rounding_percentages_and_yoy_follow_the_stated_rules() -> None:
    assert [approx_text(n, "人次") for n in (4812, 4800, 4100, 403, 400, 412, 99, 0, 10432, 12345)] == [
        "4800余人次", "4800人次", "4100人次", "400余人次", "400人次", "410余人次", "99人次", "0人次", "10000余人次",
        "12000余人次"]
    assert approx(1000) == (1000, False) and approx(1009) == (1000, True) and approx(999) == (990, True)
    assert percent_text(rate_percent(580, 590)) == "98.3%"
    assert rate_percent(1, 16) == 6.3  # half up, not Python's round-half-even on floats (6.25 → 6.2)
    assert change(11, 3).text == "同比上升266%"  # +266.7 % cut to a whole percent, as the district report prints it
    assert change(3, 11).text == "同比下降72%"
    assert change(5, 5).text == "与上年持平" and change(4, 0).text == "上年同期为0"
    assert change(1001, 1000).text == "同比上升不足1%"
    assert money_text(Decimal("1448000")) == "144.8万元" and money_text(Decimal("3200")) == "3200元"
    assert money_text(Decimal("85.5")) == "85.50元" and money_text(Decimal("14449")) == "1.4万元"
    # A rate changes by 百分点 (the difference), never by a percentage of itself: 95.0 → 98.3 is not "+3%".
    assert change(98.3, 95.0, rate=True).text == "同比上升3.3个百分点"
    assert change(95.0, 98.3, rate=True).text == "同比下降3.3个百分点"
    assert change(97.6, 97.6, rate=True).text == "与上年持平"
    assert change(98.3, None, rate=True).direction == "无对比"
    assert [grouped(v) for v in (4812, 56, Decimal("1149451"), Decimal("85.5"), 98.3)] == [
        "4,812", "56", "1,149,451.00", "85.50", "98.3"]


def test_rate_changes_are_in_percentage_points_in_the_figures_and_the_stats_screen(qapp: object) -> None:
    from ui.district.common import change_short

    now, before = empty_figures(), empty_figures()
    now.update(mediation_accepted=590, mediation_succeeded=580, mediation_success_rate=rate_percent(580, 590))
    before.update(mediation_accepted=40, mediation_succeeded=38, mediation_success_rate=rate_percent(38, 40))
    ch = figure_change("mediation_success_rate", now, before)  # 98.3 against 95.0
    assert (ch.points, ch.pct, ch.text) == (Decimal("3.3"), None, "同比上升3.3个百分点")
    assert change_short(ch.direction, ch.pct, ch.points) == "↑3.3百分点"
    assert figure_change("mediation_accepted", now, before).text == "同比上升1375%"  # a count: a percentage
    # Nothing to rate in one of the two years: no comparison, not "下降95.0个百分点".
    empty = empty_figures()
    for a, b in ((now, empty), (empty, before)):
        none = figure_change("mediation_success_rate", a, b)
        assert none.direction == "无对比" and change_short(none.direction, none.pct, none.points) == "—"


SEED_CAMPAIGNS = ("国道213线扬尘整治", "校园周边食品安全整治", "夜间市容市貌集中管理")


def test_the_seed_reports_figures_come_out_in_its_own_words() -> None:
    f = empty_figures()
    f.update(officer_turnouts=4812, vehicle_turnouts=403, businesses_inspected=4356, mediation_accepted=590,
             mediation_succeeded=580, mediation_success_rate=rate_percent(580, 590), trainings=13,
             training_attendance=3050, cases_filed=11, inspections=800, campaigns=3)
    prev = empty_figures()
    prev.update(cases_filed=3, mediation_accepted=590, mediation_succeeded=580,
                mediation_success_rate=rate_percent(580, 590))
    review = ReviewFigures(2021, 1, 137, 9, 85, 0, 0, ())
    secs = sections(2021, district_voice("乐山市五通桥区", 9), f, prev, review, SEED_CAMPAIGNS)
    text = "".join(s.text for s in secs)
    for phrase in ("集中开展国道213线扬尘整治、校园周边食品安全整治、夜间市容市貌集中管理等专项整治工作，"
                   "共计出动执法人员4800余人次，动用执法车辆400余台次，检查各类经营户4300余户次",
                   "共受理矛盾纠纷590件，与上年持平，调解成功580件", "调解成功率98.3%", "较2020年同比上升266%",
                   "抽取9个乡镇的行政处罚案卷137件，集中反馈问题85个，并督促落实整改。",
                   "组织执法人员参加各类依法行政工作培训13次", "培训执法人员3000余人次", "我区全年无民转刑案件发生。",
                   "（一）加强行政执法监督，规范公正文明执法。一是加大重点领域执法力度。2021年，全区9个乡镇",
                   "二是从严规范行政处罚行为。", "三是开展行政执法案卷评查。", "四是加强执法队伍建设。",
                   "（二）聚焦平安五通桥建设，防范化解稳定风险。2021年，全区镇村两级人民调解组织"):
        assert phrase in text, phrase
    # The rate did not move: said once as 持平, never as a percentage.
    assert "调解成功率98.3%，与上年持平。" in text and "百分点" not in text


ZERO = re.compile(r"(?<![\d.,])0(?:\.0+)?(?:余)?(?:件|次|个|条|人|元|万元|人次|台次|户次|%)")


def test_zero_figures_are_left_out_and_the_items_numbered_again() -> None:
    f = empty_figures()
    f.update(inspections=12, officer_turnouts=30, problems_found=4, cases_filed=2, cases_closed=1,
             fines_yuan=Decimal("3200.00"), mediation_accepted=5, mediation_succeeded=4,
             mediation_success_rate=rate_percent(4, 5))
    secs = sections(2025, district_voice("乐山市五通桥区", 2), f, empty_figures(), ReviewFigures(2025, 0, 0, 0, 0, 0, 0, ()))
    text = "".join(s.text for s in secs)
    assert not ZERO.findall(text), ZERO.findall(text)
    for absent in ("动用执法车辆", "检查各类经营户", "督促整改", "简易程序", "不予行政处罚", "查封", "公示", "听证",
                   "两法衔接", "移送", "案卷评查", "培训", "持有效行政执法证件", "司法确认", "同比", "集中开展"):
        assert absent not in text, absent
    enforcement, mediation = secs
    # Items whose every figure is zero are gone and the rest numbered 一是, 二是 without a gap.
    assert [(i.ordinal, i.heading) for i in enforcement.items] == [("一是", "加大重点领域执法力度"),
                                                                  ("二是", "从严规范行政处罚行为")]
    assert "2025年，全区2个乡镇综合行政执法中队开展巡查检查12次，共计出动执法人员30人次，发现问题4个。" in text
    assert "全年共立案查处违法案件2件，办结案件1件，共处罚款3200元。" in text
    # A section of one item says it without "一是" (there is no 二是 to follow).
    assert [i.ordinal for i in mediation.items] == [""] and "一是" not in mediation.text
    assert mediation.text.startswith("（二）聚焦平安五通桥建设，防范化解稳定风险。2025年，全区镇村两级人民调解组织共受理")
    assert mediation.text.endswith("我区全年无民转刑案件发生。")
    # A zero that matters is said the district report's way; a non-zero one as a count.
    f.update(mediation_escalated_to_criminal=2)
    again = sections(2025, district_voice("乐山市五通桥区", 2), f, empty_figures(), ReviewFigures(2025, 0, 0, 0, 0, 0, 0, ()))
    assert "全年发生民转刑案件2件。" in again[1].text and "无民转刑" not in again[1].text
    # Nothing at all to report in a section: the section goes and the next takes its number.
    only_mediation = empty_figures()
    only_mediation.update(mediation_accepted=3, mediation_succeeded=3, mediation_success_rate=100.0)
    secs = sections(2025, district_voice("乐山市五通桥区", 2), only_mediation, empty_figures(),
                    ReviewFigures(2025, 0, 0, 0, 0, 0, 0, ()))
    assert [s.title[:3] for s in secs] == ["（一）"] and "调解" in secs[0].text


def test_campaign_names_are_shortened_as_the_report_names_them() -> None:
    assert [campaign_name(n) for n in ("2025年秸秆禁烧专项行动专项行动", "餐饮油烟专项治理", "露天烧烤专项整治",
                                       "国道213线扬尘整治", "2025年度国庆期间市容秩序保障专项行动")] == [
        "秸秆禁烧", "餐饮油烟治理", "露天烧烤整治", "国道213线扬尘整治", "国庆期间市容秩序保障"]
    assert campaigns_text(["国道213线扬尘整治", "秸秆禁烧"]) == "集中开展国道213线扬尘整治、秸秆禁烧等专项整治工作"
    assert campaigns_text(["国道213线扬尘整治"]) == "集中开展国道213线扬尘专项整治工作"
    assert campaigns_text([]) == ""


def _docx(path: Path) -> tuple[list[str], dict[str, list[list[str]]]]:
    from docx import Document

    doc = Document(str(path))
    paras = [p.text for p in doc.paragraphs]
    titles = [p.text for p in doc.paragraphs if p.text.startswith("表")]
    tables = {title: [[c.text for c in row.cells] for row in t.rows] for title, t in zip(titles, doc.tables, strict=True)}
    return paras, tables


def _plain(cell: str) -> str:
    return cell.replace(",", "")


def _check_numbers(data: ReportData, texts: list[str], main_rows: dict[str, list[str]]) -> None:
    """Each item prints, in order, exactly the numbers it cites; each cited figure is the table's number."""
    for sec in data.sections:
        assert sec.text in texts  # one paragraph per section, as the district report writes them
    for s in data.sentences:
        assert numbers_in(s.text) == [n for c in s.cited for n in numbers_in(c.shown)], s.heading
        for c in s.cited:
            if c.key in main_rows:
                cell = main_rows[c.key]
                assert cell[1] == cell_text(c.value), c.key  # the table prints the exact figure
                if c.shown.endswith(("人次", "台次", "户次")):
                    assert c.shown == approx_text(int(_plain(cell[1])), c.shown.lstrip("0123456789余"))
                elif c.key == "fines_yuan":
                    assert c.shown == money_text(Decimal(_plain(cell[1])))
                elif c.key == "mediation_success_rate":
                    assert c.shown == f"{cell[1]}%"
                else:
                    assert numbers_in(c.shown) == [_plain(cell[1])], c.key
            elif c.key.startswith("yoy:"):
                assert main_rows[c.key[4:]][3] == c.shown  # the 同比 column says the same
            elif c.key == "year":
                assert c.value in (data.year, data.year - 1)


@pytest.mark.slow
def test_report_files_print_the_same_numbers_in_sentences_and_tables(any_district: District, tmp_path: Path) -> None:
    d = any_district
    data = write_report(d.uow(), YEAR, tmp_path / "report.docx")
    paras, tables = _docx(tmp_path / "report.docx")
    assert paras[0] == data.title == f"乐山市五通桥区{YEAR}年度综合行政执法和人民调解工作情况"
    main_table = tables["表1　主要指标"]
    assert main_table[0] == ["指标", f"{YEAR}年", f"{YEAR - 1}年", "同比"]
    by_label = {row[0]: row for row in main_table[1:]}
    rows = {key: by_label[_head(key)] for key in data.figures}
    _check_numbers(data, paras, rows)
    assert rows["mediation_success_rate"][3].endswith(("个百分点", "与上年持平", "上年同期无可比数据"))
    towns = tables["表2　分乡镇情况"]
    assert towns[-1][0] == "合计" and towns[-1][1] == rows["inspections"][1]
    assert sum(int(_plain(r[1])) for r in towns[1:-1]) == int(_plain(towns[-1][1]))
    # Excel: the same paragraphs, the same table, numbers as numbers
    from openpyxl import load_workbook

    write_report(d.uow(), YEAR, tmp_path / "report.xlsx")
    wb = load_workbook(tmp_path / "report.xlsx")
    assert [r[0] for r in wb["报告正文"].iter_rows(min_row=2, values_only=True)] == [s.text for s in data.sections]
    xmain = {r[0]: r for r in wb["主要指标"].iter_rows(min_row=2, values_only=True)}
    assert xmain[_head("officer_turnouts")][1] == data.figures["officer_turnouts"]
    assert xmain[_head("fines_yuan")][1] == float(data.figures["fines_yuan"])
    assert set(wb.sheetnames) >= {"报告正文", "主要指标", "分乡镇情况", "说明"}
    # PDF: embedded fonts, and the sentences' numbers in its text
    from pypdf import PdfReader

    pdf = tmp_path / "report.pdf"
    write_report(d.uow(), YEAR, pdf)
    blob = pdf.read_bytes()
    assert blob.startswith(b"%PDF") and b"/FontFile2" in blob
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(blob)).pages))
    for s in data.sentences:
        assert "".join(numbers_in(s.text)) in "".join(numbers_in(text)), s.heading


@pytest.mark.slow
def test_the_campaigns_are_named_from_their_records(any_district: District) -> None:
    from sqlalchemy import select

    from models.inspection import Campaign, Inspection
    from models.org import Township

    d = any_district
    with d.uow() as u:
        s = u.session
        town = s.scalar(select(Township).where(Township.name == "竹根镇"))
        assert town is not None
        road = Campaign(township_id=town.id, name=f"{YEAR}年国道213线扬尘整治专项行动", domain="扬尘",
                        start_date=date(YEAR, 3, 1))
        old = Campaign(township_id=town.id, name=f"{YEAR - 1}年渣土夜查专项行动", domain="扬尘",
                       start_date=date(YEAR - 1, 3, 1))  # last year's: not this year's report
        s.add_all([road, old])
        s.flush()
        inspections = s.scalars(select(Inspection).where(
            Inspection.township_id == town.id, Inspection.inspected_on >= date(YEAR, 1, 1),
            Inspection.inspected_on <= date(YEAR, 12, 31)).order_by(Inspection.id)).all()
        for insp in inspections:  # the year's work of one township: more inspections than any other campaign
            insp.campaign_id = road.id
        for insp in s.scalars(select(Inspection).where(Inspection.inspected_on < date(YEAR, 1, 1)).limit(200)):
            insp.campaign_id = old.id
        u.commit()
    data = build_report(d.uow(write=False), YEAR)
    first = data.sentences[0]
    named = next(c for c in first.cited if c.key == "campaign_names")
    assert named.value[0] == "国道213线扬尘整治" and len(named.value) <= 3 and "渣土夜查" not in named.value
    assert f"集中开展国道213线扬尘整治、{named.value[1]}" in first.text and "等专项整治工作，共计出动执法人员" in first.text
    assert f"{YEAR}年" not in named.shown and "专项行动" not in named.shown


def _twips(length: Any) -> int:
    return round(length.pt * 20)


@pytest.mark.slow
def test_the_word_report_is_an_a4_official_page_with_sized_tables_and_repeated_headers(
        any_district: District, tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    d = any_district
    data = write_report(d.uow(), YEAR, tmp_path / "report.docx")
    doc = Document(str(tmp_path / "report.docx"))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)  # A4, not python-docx's Letter
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37, 35, 28, 26]  # GB/T 9704 §5.2.1
    title = doc.paragraphs[0]
    assert title.text == data.title and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # Page numbers: a PAGE field on odd pages (right) and even pages (left), "— n —".
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text or "" for t in p._p.iter(qn("w:instrText"))) and "fldChar" in xml
        assert p.alignment == align and p.text.startswith("— ") and p.text.endswith(" —")
    body_twips = _twips(Mm(210 - 28 - 26))
    for t, spec in zip(doc.tables, data.tables, strict=True):
        grid = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= body_twips + len(grid)  # within the type area
        assert t._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        rows = t._tbl.findall(qn("w:tr"))
        header = [r.find(qn("w:trPr")) for r in rows]
        assert header[0].find(qn("w:tblHeader")) is not None  # repeated at the top of every page
        assert all(h.find(qn("w:tblHeader")) is None for h in header[1:])
        assert all(h.find(qn("w:cantSplit")) is not None for h in header)
        size = t.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
        for c, width in enumerate(grid):
            widest = max(text_em(cell_text(r[c])) for r in spec.rows)
            assert width >= widest * size * 20, (spec.title, c)  # a figure never wraps
        for r, values in zip(t.rows[1:], spec.rows, strict=True):
            for cell, v in zip(r.cells, values, strict=True):
                want = WD_ALIGN_PARAGRAPH.RIGHT if isinstance(v, (int, float, Decimal)) else None
                assert cell.paragraphs[0].alignment == want
    # Sized to the content: the money column is wider than a column of small counts.
    towns = data.table("townships")
    grid = [int(c.get(qn("w:w"))) for c in doc.tables[1]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[towns.header.index("罚款（元）")] > grid[towns.header.index("立案（件）")]


def _long_table_report() -> ReportData:
    """A report whose one table runs over several pages (the header must come back on each)."""
    from datetime import date as day

    rows = tuple((f"第{k}镇", k, Decimal(k * 1234)) for k in range(1, 121))
    table = ReportTable("long", "表1　长表", ("乡镇", "立案（件）", "罚款（元）"), rows)
    f = empty_figures()
    f.update(cases_filed=3)
    secs = sections(YEAR, district_voice("乐山市五通桥区", 1), f, empty_figures(), ReviewFigures(YEAR, 0, 0, 0, 0, 0, 0, ()))
    return ReportData("长表测试", "乐山市五通桥区", YEAR, day(2026, 1, 5), secs, (table,), (), f, empty_figures())


def test_pdf_tables_repeat_their_header_row_on_every_page() -> None:
    from pypdf import PdfReader

    pages = [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(io.BytesIO(render_pdf(
        _long_table_report()))).pages]
    with_rows = [p for p in pages if "第120镇" in p or "第60镇" in p or "第2镇" in p]
    assert len(pages) >= 3 and len(with_rows) >= 2
    for p in pages:
        if re.search(r"第\d+镇", p):
            assert "乡镇立案（件）罚款（元）" in p or "乡镇立案(件)罚款(元)" in p, p[:80]


def test_excel_report_widths_formats_and_a4_print_setup(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = _long_table_report()
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_xlsx(data))
    wb = load_workbook(path)
    ws = wb["长表"]
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage  # 9: A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as long as it takes
    assert ws.print_title_rows == "$1:$1" and "&P" in ws.oddFooter.center.text
    assert ws.freeze_panes == "B2"
    for row in ws.iter_rows(min_row=2):
        assert row[1].number_format == "#,##0" and row[2].number_format == "#,##0.00"
        assert row[1].alignment.horizontal == row[2].alignment.horizontal == "right"
    # Each column at least as wide as its widest value as shown (148,080.00 is not ###).
    for col, letter in ((1, "B"), (2, "C")):
        widest = max(xlsx_units(cell_text(r[col])) for r in data.tables[0].rows)
        assert ws.column_dimensions[letter].width >= widest + 2
    text = wb["报告正文"]
    assert int(text.page_setup.paperSize) == 9 and text["A2"].alignment.wrap_text
    assert text.row_dimensions[2].height >= 20  # grown for the wrapped paragraph


@pytest.mark.slow
def test_a_closed_year_reports_its_closed_figures_and_the_cli_writes_every_format(
        any_district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    close_period(d.uow(), YEAR, None, "年报已报送")
    for ext in ("pdf", "docx", "xlsx"):
        out = tmp_path / f"annual.{ext}"
        assert main_unlocked(["report", "--db", d.target, "--year", str(YEAR), "--out", str(out)], "district-1") == 0
        assert out.stat().st_size > 3000
    printed = capsys.readouterr().out
    assert "共计出动执法人员" in printed and "受理矛盾纠纷" in printed
    paras, tables = _docx(tmp_path / "annual.docx")
    assert any("关账数" in p for p in paras)
    assert "表4　关账数与关账后补报" in tables
    assert main_unlocked(["report", "--db", d.target, "--year", str(YEAR), "--out", str(tmp_path / "x.txt")],
                         "district-1") == 3
@pytest.mark.slow
def test_a_township_database_writes_its_own_report_in_its_own_name(
        district_template: DistrictTemplate, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from services.core.db import Database
    from services.statistics.yearly import INDICATOR_KEYS, yearly_stats
    from tests.services.district_helpers import copy_file_db, district_clock

    path = copy_file_db(district_template.townships["竹根镇"], tmp_path / "town.sqlite3")
    out = tmp_path / "town.docx"
    assert main_unlocked(["report", "--db", str(path), "--year", str(YEAR), "--out", str(out)], "town-1234") == 0
    assert capsys.readouterr().out.startswith(f"已输出 {out}：竹根镇{YEAR}年度综合行政执法和人民调解工作情况")
    db = Database.open(path)
    try:
        data = build_report(UnitOfWork(db, actor="clerk", clock=district_clock(), write=False), YEAR)
        own = yearly_stats(UnitOfWork(db, actor="clerk", clock=district_clock(), write=False), YEAR)
    finally:
        db.dispose()
    assert data.district == "竹根镇" and data.title.startswith("竹根镇")
    # Its own figures — those its own `stats` prints — not a district of no townships (all zeros, "全区0个").
    assert {k: data.figures[k] for k in INDICATOR_KEYS} == {k: getattr(own, k) for k in INDICATOR_KEYS}
    assert data.figures["inspections"] > 0
    text = "".join(s.text for s in data.sections)
    assert f"{YEAR}年，竹根镇综合行政执法中队开展巡查检查{own.inspections}次" in text
    assert "全区" not in text and "乡镇的行政处罚案卷" not in text and "（二）聚焦平安竹根镇建设" in text
    assert "全镇人民调解组织" in text or not own.mediation_accepted
    assert [t.key for t in data.tables] == ["main", "months"]  # no table of townships for one township
    assert data.notes[0].startswith("本报告由竹根镇本机数据库生成，只含本镇的记录")
    paras, _tables = _docx(out)
    assert paras[0] == data.title


@pytest.mark.slow
def test_a_district_without_townships_refuses_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from models.enums import DeviceKind
    from services.core.db import Database
    from services.reference.setup import initialise
    from tests.services.district_helpers import district_clock

    db = Database.open(tmp_path / "district.sqlite3")
    try:
        initialise(db, UnitOfWork(db, actor="admin", clock=district_clock()), township="五通桥区",
                   squad="五通桥区综合行政执法局", district="乐山市五通桥区", device_kind=DeviceKind.DISTRICT,
                   admin_password="district-1234", catalogue_effective_from=date(2016, 1, 1))
    finally:
        db.dispose()
    out = tmp_path / "r.docx"
    assert main_unlocked(["report", "--db", str(tmp_path / "district.sqlite3"), "--year", str(YEAR), "--out",
                          str(out)], "district-1234") == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：区级数据库中还没有任何乡镇的数据") and "\n" not in err and not out.exists()
