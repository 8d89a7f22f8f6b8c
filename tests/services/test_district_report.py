"""The yearly report: the district report's wording and rounding, and the same numbers in sentences and tables.

The district's published report (五通桥区2021年法治政府建设报告) is the style reference: given its
figures, the sentences must come out with its very words. For generated reports the numbers are read back out
of the Word, Excel and PDF files and compared with the tables in those same files.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from main import main
from services.district import close_period, write_report
from services.district.indicators import empty_figures
from services.district.report import ReportData, _head, sentences
from services.district.report_render import cell_text
from services.district.review import ReviewFigures
from services.district.wording import approx, approx_text, change, money_text, numbers_in, percent_text
from services.statistics.yearly import rate_percent
from tests.services.district_helpers import YEAR, District


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


def test_the_seed_reports_figures_come_out_in_its_own_words() -> None:
    f = empty_figures()
    f.update(officer_turnouts=4812, vehicle_turnouts=403, businesses_inspected=4356, mediation_accepted=590,
             mediation_succeeded=580, mediation_success_rate=rate_percent(580, 590), trainings=13,
             training_attendance=3050, cases_filed=11)
    prev = empty_figures()
    prev.update(cases_filed=3, mediation_accepted=590)
    review = ReviewFigures(2021, 1, 137, 9, 85, 85, 0, ())
    text = "".join(s.text for s in sentences(2021, 9, f, prev, review))
    for phrase in ("共计出动执法人员4800余人次，动用执法车辆400余台次，检查各类经营户4300余户次",
                   "受理矛盾纠纷590件，调解成功580件", "调解成功率98.3%", "较2020年同比上升266%",
                   "抽取9个乡镇的行政处罚案卷137件，集中反馈问题85个", "组织执法人员参加各类依法行政工作培训13次",
                   "培训执法人员3000余人次", "全年无民转刑案件发生", "调解成功率98.3%，受理数与上年持平"):
        assert phrase in text, phrase


def _docx(path: Path) -> tuple[list[str], dict[str, list[list[str]]]]:
    from docx import Document

    doc = Document(str(path))
    paras = [p.text for p in doc.paragraphs]
    titles = [p.text for p in doc.paragraphs if p.text.startswith("表")]
    tables = {title: [[c.text for c in row.cells] for row in t.rows] for title, t in zip(titles, doc.tables, strict=True)}
    return paras, tables


def _check_numbers(data: ReportData, texts: list[str], main_rows: dict[str, list[str]]) -> None:
    """Each sentence prints, in order, exactly the numbers it cites; each cited figure is the table's number."""
    for s in data.sentences:
        printed = next(t for t in texts if s.text in t)
        assert numbers_in(printed) == numbers_in(f"{s.heading}。") + [n for c in s.cited for n in numbers_in(c.shown)]
        for c in s.cited:
            if c.key in main_rows:
                cell = main_rows[c.key]
                assert cell[1] == cell_text(c.value), c.key  # the table prints the exact figure
                if c.shown.endswith(("人次", "台次", "户次")):
                    assert c.shown == approx_text(int(cell[1]), c.shown.lstrip("0123456789余"))
                elif c.key == "fines_yuan":
                    assert c.shown == money_text(Decimal(cell[1]))
                elif c.key == "mediation_success_rate":
                    assert c.shown == f"{cell[1]}%"
                else:
                    assert numbers_in(c.shown) == [cell[1]], c.key
            elif c.key.startswith("yoy:"):
                assert main_rows[c.key[4:]][3] == c.shown  # the 同比 column says the same
            elif c.key == "year":
                assert c.value in (data.year, data.year - 1)


@pytest.mark.slow
def test_report_files_print_the_same_numbers_in_sentences_and_tables(any_district: District, tmp_path: Path) -> None:
    d = any_district
    data = write_report(d.uow(), YEAR, tmp_path / "report.docx")
    paras, tables = _docx(tmp_path / "report.docx")
    main_table = tables["表1　主要指标"]
    assert main_table[0] == ["指标", f"{YEAR}年", f"{YEAR - 1}年", "同比"]
    by_label = {row[0]: row for row in main_table[1:]}
    rows = {key: by_label[_head(key)] for key in data.figures}
    _check_numbers(data, paras, rows)
    towns = tables["表2　分乡镇情况"]
    assert towns[-1][0] == "合计" and towns[-1][1] == rows["inspections"][1]
    assert sum(int(r[1]) for r in towns[1:-1]) == int(towns[-1][1])
    # Excel: the same sentences, the same table, numbers as numbers
    from openpyxl import load_workbook

    write_report(d.uow(), YEAR, tmp_path / "report.xlsx")
    wb = load_workbook(tmp_path / "report.xlsx")
    assert [r[1] for r in wb["报告正文"].iter_rows(min_row=2, values_only=True)] == [s.text for s in data.sentences]
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
def test_a_closed_year_reports_its_closed_figures_and_the_cli_writes_every_format(
        any_district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    close_period(d.uow(), YEAR, None, "年报已报送")
    for ext in ("pdf", "docx", "xlsx"):
        out = tmp_path / f"annual.{ext}"
        assert main(["report", "--db", d.target, "--year", str(YEAR), "--out", str(out)]) == 0
        assert out.stat().st_size > 3000
    printed = capsys.readouterr().out
    assert "共计出动执法人员" in printed and "受理矛盾纠纷" in printed
    paras, tables = _docx(tmp_path / "annual.docx")
    assert any("关账数" in p for p in paras)
    assert "表4　关账数与关账后补报" in tables
    assert main(["report", "--db", d.target, "--year", str(YEAR), "--out", str(tmp_path / "x.txt")]) == 3
