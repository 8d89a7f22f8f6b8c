"""Excel ledgers: the template, bad rows listed with their row numbers, good rows imported, no duplicates."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from main import main
from models.inspection import Inspection
from models.mediation import MediationCase
from models.org import Township
from services.district import close_period, district_stats, import_ledger, list_amendments
from services.district.ledger_import import LedgerUnusable
from services.district.ledger_spec import DATE_FORMAT, TEXT_FORMAT, ledger_kind, write_template
from tests.cli_unlock import main_unlocked
from tests.services.district_helpers import YEAR, District

pytestmark = pytest.mark.slow


def _fill(tmp_path: Path, kind: str, rows: list[list[Any]], name: str = "ledger.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(write_template(kind))
    wb = load_workbook(path)
    ws = wb[ledger_kind(kind).title]
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_templates_have_chinese_headers_explanations_and_validation_lists(tmp_path: Path) -> None:
    for kind in ("inspections", "cases", "mediations"):
        out = tmp_path / f"{kind}.xlsx"
        assert main(["template", kind, "--out", str(out)]) == 0
        wb = load_workbook(out)
        spec = ledger_kind(kind)
        ws = wb[spec.title]
        assert [c.value for c in ws[1]] == [c.header + ("*" if c.required else "") for c in spec.columns]
        assert [r[0] for r in wb["填写说明"].iter_rows(min_row=2, max_row=len(spec.columns) + 1, values_only=True)] == [
            c.header for c in spec.columns]
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert len(lists) == sum(1 for c in spec.columns if c.kind == "choice")
        assert wb["选项"].sheet_state == "hidden"
    mediation = load_workbook(tmp_path / "mediations.xlsx")
    assert "婚姻家庭" in [r[0] for r in mediation["选项"].iter_rows(values_only=True)]


def test_template_text_columns_are_formatted_as_text(tmp_path: Path) -> None:
    """"001" stays 001 and an 18-digit number keeps its digits: the columns are 文本 ("@") before anything is typed."""
    for kind in ("inspections", "cases", "mediations"):
        spec = ledger_kind(kind)
        ws = load_workbook(io.BytesIO(write_template(kind)))[spec.title]
        for i, c in enumerate(spec.columns, start=1):
            dim = ws.column_dimensions[get_column_letter(i)]
            want = {"text": TEXT_FORMAT, "date": DATE_FORMAT}.get(c.kind, "General")
            assert dim.number_format == want, (kind, c.header)
            if c.identifier:
                assert c.kind == "text" and dim.width >= 20  # room for a long register number
        assert ws.max_row == 1  # formatted by column: no pre-styled empty rows for an append to skip
    help_ws = load_workbook(io.BytesIO(write_template("cases")))["填写说明"]
    assert next(r for r in help_ws.iter_rows(values_only=True) if r[0] == "立案编号")[2].startswith("文本")


MANGLED = [
    ["001", date(YEAR, 7, 1), "桥沟街1号", "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # typed into the 文本 column
    [1, date(YEAR, 7, 2), "桥沟街2号", "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # row 3: "001" read as a number
    [5.11112202500001e17, date(YEAR, 7, 3), "桥沟街3号", "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # row 4
    [datetime(YEAR, 3, 1), date(YEAR, 7, 4), "桥沟街4号", "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # row 5: "3-1"
    [12.5, date(YEAR, 7, 5), "桥沟街5号", "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # row 6: "12.50"
    ["X-9", date(YEAR, 7, 6), datetime(YEAR, 5, 6), "占道", "合格", 2, 0, 1, 0, 0, None, ""],  # row 7: place "5-6"
    ["511112202500001234", date(YEAR, 7, 7), "桥沟街7号", "占道", "合格", 2, 0, 1, 0, 0, None, 2025],  # text kept
]


def test_ledger_import_refuses_identifiers_excel_has_turned_into_numbers_or_dates(
        any_district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    path = _fill(tmp_path, "inspections", MANGLED)
    assert main_unlocked(["ledger-import", "--db", d.target, "--township", "新桥镇", str(path)], "district-1") == 1
    err = capsys.readouterr().err
    reasons = {int(m.group(1)): m.group(2) for m in re.finditer(r"第(\d+)行：(.*)", err)}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "存成了数字 1" in reasons[3] and "文本" in reasons[3]
    assert "15 位以后的数字已丢失" in reasons[4]
    assert "日期" in reasons[5] and "2025-03-01" in reasons[5]
    assert "小数" in reasons[6] and "“检查地点”" in reasons[7] and "日期" in reasons[7]
    with d.uow(write=False) as u:
        stored = set(u.session.scalars(select(Inspection.number).join(Township).where(Township.name == "新桥镇")))
    # Only the rows as typed: "001" with its zeros, the 18-digit number whole; nothing mangled stored.
    assert stored == {"001", "511112202500001234"}


INSPECTIONS = [
    ["X-001", date(YEAR, 5, 6), "桥沟街12号", "占道", "合格", 2, 1, 3, 0, 0, None, "巡查"],
    ["X-002", date(YEAR, 5, 7), "新华路8号", "油烟", "责令限期整改", 3, 1, 1, 2, 1, date(YEAR, 5, 20), ""],
    ["X-003", "2025/6/1", "滨江路", "扬尘", "当场整改", 2, 0, 2, 1, 1, "2025年6月1日", None],
    ["X-004", None, "正街", "占道", "合格", 2, 0, 1, 0, 0, None, None],  # row 5: no date
    ["X-005", date(YEAR, 6, 2), "正街", "不存在的领域", "合格", 2, 0, 1, 0, 0, None, None],  # row 6: bad choice
    ["X-006", date(YEAR, 6, 3), "正街", "噪声", "合格", 2, 0, 1, 1, 2, date(YEAR, 6, 9), None],  # row 7: 2 > 1
    ["X-001", date(YEAR, 6, 4), "重复", "噪声", "合格", 2, 0, 1, 0, 0, None, None],  # row 8: duplicate key
    ["X-007", date(YEAR, 6, 5), "正街", "噪声", "合格", 1, 0, 1, 0, 0, None, None],  # row 9: one officer
]


def test_ledger_import_lists_bad_rows_imports_good_ones_and_never_duplicates(
        any_district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = any_district
    path = _fill(tmp_path, "inspections", INSPECTIONS)
    db = d.target
    assert main_unlocked(["ledger-import", "--db", db, "--township", "新桥镇", str(path)], "district-1") == 1
    out = capsys.readouterr()
    assert "新桥镇（新建乡镇）" in out.out and "新增 3" in out.out and "有误 5" in out.out
    for row, words in ((5, "检查日期"), (6, "不在可选值中"), (7, "多于发现问题"), (8, "与第2行重复"), (9, "不得少于 2")):
        assert f"第{row}行：" in out.err and words in out.err.split(f"第{row}行：")[1].split("\n")[0], row
    stats = district_stats(d.uow(write=False), YEAR, township="新桥镇")
    assert stats.total["inspections"] == 3 and stats.total["officer_turnouts"] == 7
    assert stats.total["problems_found"] == 3 and stats.total["problems_rectified"] == 2
    # the same file again: nothing new, nothing duplicated
    again = import_ledger(d.uow(), None, "新桥镇", path)
    assert (again.new, again.updated, again.unchanged, len(again.bad)) == (0, 0, 3, 5)
    with d.uow(write=False) as u:
        tid = u.session.scalar(select(Township.id).where(Township.name == "新桥镇"))
        assert u.session.scalar(select(func.count()).select_from(Inspection).where(Inspection.township_id == tid)) == 3
    # an edited row updates its record; a fixed bad row is added
    fixed = [list(r) for r in INSPECTIONS[:3]] + [["X-004", date(YEAR, 6, 8), "正街", "占道", "合格", 2, 0, 1, 0, 0,
                                                   None, None]]
    fixed[1][8], fixed[1][9] = 1, 1  # one problem, rectified
    edited = import_ledger(d.uow(), None, "新桥镇", _fill(tmp_path, "inspections", fixed, "v2.xlsx"))
    assert (edited.new, edited.updated, edited.unchanged, edited.bad) == (1, 1, 2, [])
    stats = district_stats(d.uow(write=False), YEAR, township="新桥镇")
    assert stats.total["inspections"] == 4 and stats.total["problems_found"] == 2


def test_cases_and_mediations_ledgers(any_district: District, tmp_path: Path) -> None:
    d = any_district
    cases = _fill(tmp_path, "cases", [
        ["L-1", date(YEAR, 3, 1), "占道经营", "占道", "普通程序", "某某烧烤店", date(YEAR, 4, 1), 500, "否", None, None,
         date(YEAR, 4, 3), date(YEAR, 5, 1)],
        ["L-2", date(YEAR, 3, 2), "乱堆乱放", "市容环境卫生", "简易程序", None, date(YEAR, 3, 2), 50, None, None, None,
         None, None],
        ["L-3", date(YEAR, 3, 5), "焚烧垃圾", "焚烧", "普通程序", None, date(YEAR, 3, 1), None, None, None, None, None,
         None],  # row 4: decided before filing
    ])
    rep = import_ledger(d.uow(), None, "竹根镇", cases)
    assert (rep.kind, rep.new, [b.row for b in rep.bad], rep.created_township) == ("cases", 2, [4], False)
    med = _fill(tmp_path, "mediations", [
        ["M-1", date(YEAR, 2, 1), None, "邻里纠纷", "调解成功", date(YEAR, 2, 10), "书面", 3000, "是", date(YEAR, 3, 1),
         "排水纠纷"],
        ["M-2", date(YEAR, 2, 3), date(YEAR, 2, 4), "婚姻家庭", "调解中", None, None, None, None, None, None],
        ["M-3", date(YEAR, 2, 5), None, "合同纠纷", "调解成功", date(YEAR, 2, 9), None, None, None, None, None],  # no form
    ])
    rep = import_ledger(d.uow(), None, "新桥镇", med)
    assert (rep.kind, rep.new, [b.row for b in rep.bad]) == ("mediations", 2, [4])
    stats = district_stats(d.uow(write=False), YEAR, township="新桥镇")
    assert (stats.total["mediation_accepted"], stats.total["mediation_succeeded"],
            stats.total["judicial_confirmations"]) == (2, 1, 1)
    with d.uow(write=False) as u:
        assert u.session.scalar(select(func.count()).select_from(MediationCase).where(
            MediationCase.number.in_(["M-1", "M-2"]))) == 2


def test_an_unusable_file_is_refused_whole(any_district: District, tmp_path: Path) -> None:
    d = any_district
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    assert main_unlocked(["ledger-import", "--db", d.target, "--township", "竹根镇", str(junk)], "district-1") == 3
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["名称", "日期"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(LedgerUnusable):
        import_ledger(d.uow(), None, "竹根镇", tmp_path / "other.xlsx")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(write_template("cases"))
    with pytest.raises(LedgerUnusable):
        import_ledger(d.uow(), None, "竹根镇", empty)


def test_a_ledger_for_a_closed_month_arrives_as_amendments(any_district: District, tmp_path: Path) -> None:
    d = any_district
    close_period(d.uow(), YEAR, 5, "五月报表已报送")
    rep = import_ledger(d.uow(), None, "竹根镇", _fill(tmp_path, "inspections", INSPECTIONS[:2]))
    assert rep.new == 2 and rep.amendments == 2
    items = list_amendments(d.uow(write=False), YEAR, 5)
    assert {a.reason for a in items} == {"台账补报：ledger.xlsx"} and {a.township for a in items} == {"竹根镇"}
    may = district_stats(d.uow(write=False), YEAR, month=5)
    assert may.closed is not None and may.closed.delta(may.total)["inspections"] == 2


def test_ledger_cells_meet_the_stored_columns_rules(district: District, tmp_path: Path) -> None:
    """The rules bundles are checked against (models/column_rules.py) apply to ledger cells: one rule per column."""
    good = ["R-0", date(YEAR, 3, 1), "占道经营", "占道", "普通程序", None, date(YEAR, 4, 1), 500, None, None, None, None,
            None]
    cases = _fill(tmp_path, "cases", [
        good,
        ["R-1", date(YEAR, 3, 1), "占道经营", "占道", "普通程序", None, date(YEAR, 4, 1), "1e20", None, None, None, None,
         None],
        ["R-2", date(1899, 3, 1), "占道经营", "占道", "普通程序", None, None, None, None, None, None, None, None],
        ["R-3", date(YEAR, 3, 1), "占道经营", "占道", "普通程序", None, date(2099, 4, 1), 500, None, None, None, None,
         None],
        ["R-4", date(YEAR, 3, 1), "占道经营", "占道", "普通程序", None, date(YEAR, 4, 1), -1, None, None, None, None,
         None],
    ])
    rep = import_ledger(district.uow(), None, "竹根镇", cases)
    reasons = {b.row: b.reason for b in rep.bad}
    assert rep.new == 1 and sorted(reasons) == [3, 4, 5, 6], reasons
    assert "罚款金额（元）”金额超过上限" in reasons[3]
    assert "立案日期”日期 1899-03-01 不在合理范围内" in reasons[4]
    assert "决定日期”日期 2099-04-01 不在合理范围内" in reasons[5]
    assert "金额不能为负数" in reasons[6]
    insp = _fill(tmp_path, "inspections", [
        ["J-1", date(YEAR, 3, 1), "新华路", "占道", "合格", 10**9, None, None, None, None, None, None],
    ], name="insp.xlsx")
    rep = import_ledger(district.uow(), None, "竹根镇", insp)
    assert [b.reason for b in rep.bad] == ["“出动执法人员（人次）”不在允许范围内（0–10000），实为“1000000000”"]
