"""The district screens, walked as a district clerk would: bundles in, grid, figures, drill-down, review, report.

The district is the demo district of tools.demo.district (three demo townships, exported and encrypted for
real), built once per session; each test works on its own copy of the database and of the folder of bundles.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models.case import PenaltyCase
from models.enums import Role
from models.org import Township
from services.core.context import AppContext
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.district.intake import import_folder
from services.district.stats import district_stats
from services.district.supervision import KINDS
from services.people.accounts import UserInfo
from services.statistics.yearly import INDICATOR_KEYS
from tests.services.district_helpers import copy_file_db
from tests.services.unlock import data_key
from tests.shared_build import build_once
from tools.demo.district import DEMO_PASSWORD as DISTRICT_PASSWORD
from tools.demo.district import (
    DemoDistrict,
    build_demo_district,
    demo_district_clock,
    finish_demo_district,
    write_demo_ledger,
)
from ui.data_events import DataEvents
from ui.district.grid_page import GridPage
from ui.district.intake_page import IntakePage
from ui.district.report_page import ReportPage, partial_path
from ui.district.review_dialogs import ProblemInput, RectifyInput
from ui.district.review_page import ReviewPage
from ui.district.stats_page import StatsPage
from ui.district.supervision_page import SupervisionPage
from ui.main_window import MainWindow
from ui.operations import SyncRunner, TaskRunner, TaskState
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui

CLOCK = demo_district_clock()
TODAY = CLOCK.today()
LAST_YEAR = TODAY.year - 1


def _admin() -> UserInfo:
    return UserInfo("u-district", "admin", "区级管理员", Role.DISTRICT_ADMIN, None)


@dataclass
class Sitting:
    """One test's district: its own database copy, its own bundles folder, signed in as ``ctx.user``."""

    ctx: AppContext
    db: Database
    bundles: Path
    tmp: Path

    def uow(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.db, actor="test", clock=CLOCK, write=write, data_key=self.ctx.data_key)


@pytest.fixture(scope="session")
def empty_district(tmp_path_factory: pytest.TempPathFactory) -> DemoDistrict:
    """An initialised, empty district database next to the townships' encrypted bundles (built once per run, ~8 s;
    tests/shared_build.py)."""

    def build(folder: Path) -> dict[str, Any]:
        made = build_demo_district(folder, import_bundles=False)
        return {"path": str(made.path.relative_to(folder)), "bundles": str(made.bundles.relative_to(folder)),
                "townships": list(made.townships), "lost": [str(p.relative_to(folder)) for p in made.lost_bundles]}

    folder, facts = build_once(tmp_path_factory, "district-demo", build)
    return DemoDistrict(folder / facts["path"], folder / facts["bundles"], tuple(facts["townships"]),
                        tuple(folder / p for p in facts["lost"]))


@pytest.fixture(scope="session")
def filled_district(empty_district: DemoDistrict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same district after its bundles were imported, months closed and a review drawn (the services' way),
    once per run (tests/shared_build.py)."""

    def build(folder: Path) -> dict[str, Any]:
        path = copy_file_db(empty_district.path, folder / "district.sqlite3")
        shutil.copytree(empty_district.bundles, folder / "bundles")
        db = Database.open(path)
        try:
            key = data_key(db, "admin", DISTRICT_PASSWORD)  # the demo district's administrator
            rep = import_folder(lambda: UnitOfWork(db, actor="admin", clock=CLOCK, data_key=key), folder / "bundles",
                                trust_new=True)
            assert not rep.refused
        finally:
            db.dispose()
        finish_demo_district(path, CLOCK)
        return {}

    folder, _ = build_once(tmp_path_factory, "district-filled", build)
    return folder / "district.sqlite3"


def _sitting(src: Path, bundles: Path, tmp: Path, user: UserInfo) -> Sitting:
    db = Database.open(copy_file_db(src, tmp / "district.sqlite3"))
    folder = tmp / "usb"
    shutil.copytree(bundles, folder)
    return Sitting(AppContext(db, CLOCK, user, data_key=data_key(db, "admin", DISTRICT_PASSWORD)), db, folder, tmp)


@pytest.fixture
def empty(empty_district: DemoDistrict, tmp_path: Path) -> Iterator[Sitting]:
    s = _sitting(empty_district.path, empty_district.bundles, tmp_path, _admin())
    yield s
    s.db.dispose()


@pytest.fixture
def filled(filled_district: Path, empty_district: DemoDistrict, tmp_path: Path) -> Iterator[Sitting]:
    s = _sitting(filled_district, empty_district.bundles, tmp_path, _admin())
    yield s
    s.db.dispose()


def _window(qtbot: QtBot, s: Sitting, runner: TaskRunner | None = None) -> MainWindow:
    settings = UiSettings(QSettings(str(s.tmp / "ui.ini"), QSettings.Format.IniFormat))
    w = MainWindow(s.ctx, runner=runner or SyncRunner(), ui_settings=settings, db_label="district")
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    return w


def _business_rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """The rows a ledger import could touch, read through a fresh connection (what is on disk)."""
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608 - constant tables
                for t in ("township", "inspection", "inspection_item", "penalty_case", "mediation_case", "amendment")}
    finally:
        conn.close()


def _nav_keys(w: MainWindow) -> list[str]:
    return [w.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.nav.count())]


# -- the sitting: bundles in, grid ------------------------------------------------------------------------


def test_folder_of_bundles_imported_and_grid_shows_the_months(qtbot: QtBot, empty: Sitting,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    w = _window(qtbot, empty)
    keys = _nav_keys(w)
    assert w.district and keys[:6] == ["district_grid", "district_intake", "district_stats", "district_supervision",
                                       "district_review", "district_report"]
    assert "home" not in keys and "parties" not in keys and "documents" not in keys  # township-only screens
    assert not w.lists["cases"].new_button.isVisible()
    intake = w.district_pages["district_intake"]
    assert isinstance(intake, IntakePage)

    # First the devices are unknown: every bundle is refused until the clerk has checked the fingerprints.
    asked: list[list[str]] = []
    monkeypatch.setattr(IntakePage, "ask_trust", lambda self, reasons: asked.append(reasons) or False)
    w.show_page("district_intake")
    intake.import_bundles(empty.bundles)
    assert len(asked) == 1 and len(asked[0]) == 4 and all("指纹" in r for r in asked[0])
    assert intake.last_intake is not None and not intake.last_intake.outcomes
    assert [line.refused for line in intake.bundle_model.rows] == [True] * 4
    assert district_stats(empty.uow(), TODAY.year).total["inspections"] == 0  # nothing was written

    monkeypatch.setattr(IntakePage, "ask_trust", lambda self, reasons: True)
    changed: list[bool] = []
    w.data_events.changed.connect(lambda _kinds: changed.append(True))
    intake.import_bundles(empty.bundles)
    rep = intake.last_intake
    assert rep is not None and len(rep.outcomes) == 4 and not rep.refused and changed
    assert sum(o.new for o in rep.outcomes) > 10_000
    assert len(rep.receipts) == 4 and all(Path(p).exists() for p in rep.receipts)  # next to the bundles
    assert "导入 4 个同步包" in intake.bundle_message.text()

    w.show_page("district_grid")
    grid = w.district_pages["district_grid"]
    assert isinstance(grid, GridPage)
    rows = grid.model.rows
    assert sorted(r.township for r in rows) == sorted(("竹根镇", "牛华镇", "西坝镇"))
    for r in rows:
        for month in range(1, TODAY.month + 1):  # every finished month of the demo year has records
            assert r.cells[month - 1].records > 0, (r.township, month)
        assert grid.model.data(grid.model.index(rows.index(r), TODAY.month)).split(" · ")[0] == str(
            r.cells[TODAY.month - 1].records)
    gap = next(i for i, r in enumerate(rows) if r.gaps)
    assert "缺第2号同步包" in grid.model.data(grid.model.index(gap, grid.model.columnCount() - 1))
    grid.table.selectRow(gap)
    assert [d.missing for d in grid.devices_shown()] == [((2, 2),)]
    assert "1 个乡镇有缺号" in grid.summary.text()


def test_period_closed_and_reopened_with_a_reason(qtbot: QtBot, filled: Sitting,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    w = _window(qtbot, filled)
    grid = w.district_pages["district_grid"]
    assert isinstance(grid, GridPage)
    w.show_page("district_grid")
    month = 10  # the demo closed January to September

    def label(m: int) -> str:
        return grid.model.headerData(m, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)

    assert "已关账" in label(9) and "已关账" not in label(month)
    grid.period.setCurrentIndex(grid.period.findData(month))
    monkeypatch.setattr(GridPage, "ask_reason", lambda self, title, prompt, default="": "10月报表已报送")
    grid.close_button.click()
    assert "已关账" in label(month)
    assert any(c.month == month and c.status == "closed" and c.reason == "10月报表已报送" for c in grid.closes_model.rows)

    grid.reopen_button.click()
    assert "已关账" not in label(month)
    # A month not over yet cannot be closed: the service's reason is shown and nothing is closed.
    grid.period.setCurrentIndex(grid.period.findData(TODAY.month))
    grid.close_button.click()
    assert grid.message.isVisibleTo(grid) and "尚未结束" in grid.message.text()
    assert "已关账" not in label(TODAY.month)


# -- figures, charts, drill-down ---------------------------------------------------------------------------


def test_stats_equal_the_services_and_drill_down_lists_the_records(qtbot: QtBot, filled: Sitting) -> None:
    w = _window(qtbot, filled)
    page = w.district_pages["district_stats"]
    assert isinstance(page, StatsPage)
    w.show_page("district_stats")
    ds = district_stats(filled.uow(), TODAY.year)
    shown = {r.key: r for r in page.indicator_model.rows}
    assert list(shown) == list(INDICATOR_KEYS)
    for k in INDICATOR_KEYS:
        assert shown[k].current == ds.total[k] and shown[k].previous == ds.previous_total[k], k
    assert page.indicators.isColumnHidden(4)  # this year is not closed: no 关账数 column

    page.select_indicator("cases_filed")
    towns = {r.township: r for r in page.township_rows()}
    for t in ds.townships:
        assert towns[t.township.name].current == t.figures["cases_filed"]
    assert towns[None].current == ds.total["cases_filed"] == sum(t.figures["cases_filed"] for t in ds.townships)
    # The chart draws the same figures.
    assert {b.key: b.value for b in page.bars.bars} == {t.township.name: float(t.figures["cases_filed"])
                                                        for t in ds.townships}

    name = ds.townships[0].township.name
    page.select_township(name)
    assert page.line.title.endswith(f"（{name}）")
    items = page.drill_selected()
    assert len(items) == towns[name].current > 0
    assert {d.township for d in items} == {name} and {d.table for d in items} == {"penalty_case"}
    assert page.tabs.currentIndex() == 2 and f"{len(items)} 条" in page.drill_label.text()

    with qtbot.waitSignal(page.open_requested, timeout=2000) as opened:
        page.drill.doubleClicked.emit(page.drill_model.index(0, 2))
    assert opened.args == ["cases", items[0].uid]
    # The window opens the township's case read-only: no steps, documents or evidence to add.
    assert w.case_view.uid == items[0].uid and w.stack.currentWidget() is w.record_page
    assert not w.case_view.actions_box.isVisibleTo(w) and not w.case_view.documents_button.isVisibleTo(w)
    assert not w.case_view.attachments.add_button.isVisibleTo(w)
    assert w.mediation_view.attachments.add_button.isHidden()  # nor on a township's mediation
    w.back()
    assert w.stack.currentWidget() is page

    # A closed year shows the figures as closed next to the live ones.
    page.year.setValue(LAST_YEAR)
    assert not page.indicators.isColumnHidden(4) and "关账" in page.notice.text()
    closed = district_stats(filled.uow(), LAST_YEAR).closed
    assert closed is not None
    assert [r.closed for r in page.indicator_model.rows] == [closed.total[k] for k in INDICATOR_KEYS]

    # A month: the same figures as the service's for that month, with 同比 of that month.
    page.year.setValue(TODAY.year)
    page.month.setCurrentIndex(page.month.findData(3))
    march = district_stats(filled.uow(), TODAY.year, None, 3)
    assert {r.key: r.current for r in page.indicator_model.rows} == march.total
    assert page.drill_selected(whole_district=True) and len(page.drilled) == march.total["cases_filed"]


def test_supervision_filters_by_kind_and_township(qtbot: QtBot, filled: Sitting) -> None:
    w = _window(qtbot, filled)
    page = w.district_pages["district_supervision"]
    assert isinstance(page, SupervisionPage)
    w.show_page("district_supervision")
    everything = page.rows()
    assert everything and {r.kind for r in everything} <= set(KINDS)
    kind = everything[0].kind
    page.select(kind=kind)
    assert page.rows() and {r.kind for r in page.rows()} == {kind}
    assert len(page.rows()) == sum(1 for r in everything if r.kind == kind)
    town = everything[0].township
    page.select(township=town)
    assert page.rows() and {r.township for r in page.rows()} == {town}
    with qtbot.waitSignal(page.open_requested, timeout=2000) as opened:
        page.table.doubleClicked.emit(page.proxy.index(0, 0))
    assert opened.args[0] in ("cases", "mediations")


def test_district_lists_show_and_filter_by_township(qtbot: QtBot, filled: Sitting, qtmodeltester: Any) -> None:
    w = _window(qtbot, filled)
    w.show_page("cases")
    page = w.lists["cases"]
    model = page.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "乡镇"
    assert page.township.isVisibleTo(w) and page.township.itemText(0) == "全部乡镇"
    with filled.uow() as u:
        towns = dict(u.session.execute(select(Township.uid, Township.name)).all())
        by_case = dict(u.session.execute(select(PenaltyCase.uid, Township.name)
                                         .join(Township, Township.id == PenaltyCase.township_id)
                                         .where(PenaltyCase.deleted_at.is_(None))).all())
    offered = [page.township.itemData(i) for i in range(1, page.township.count())]
    assert set(offered) <= set(towns)
    assert {towns[uid] for uid in offered} == set(by_case.values())
    assert model.total == len(by_case)
    shown = {model.uid_at(r): model.data(model.index(r, 0)) for r in range(min(model.total, 50))}
    assert shown == {uid: by_case[uid] for uid in shown}
    qtmodeltester.check(model)

    uid = offered[1]
    page.township.setCurrentIndex(page.township.findData(uid))
    mine = {c for c, t in by_case.items() if t == towns[uid]}
    assert model.total == len(mine) > 0 and f"{len(mine):,}" in page.count_label.text()
    assert {model.data(model.index(r, 0)) for r in range(model.total)} == {towns[uid]}
    assert {model.uid_at(r) for r in range(model.total)} == mine
    assert page.current_query().township_uid == uid
    qtmodeltester.check(model)
    # The filter is kept with the list's other filters, and comes back in a new window.
    assert w.ui_settings.list_query("cases") == page.current_query()
    page.township.setCurrentIndex(0)
    assert model.total == len(by_case)
    page.restore(replace(page.current_query(), township_uid=uid))
    assert model.total == len(mine) and page.township.currentData() == uid
    # Sorted by township from the header: the names in order, every case once.
    page.township.setCurrentIndex(0)
    page._on_header_clicked(0)
    names = [model.data(model.index(r, 0)) for r in range(model.total)]
    assert names == sorted(names, reverse=True) and len({model.uid_at(r) for r in range(model.total)}) == len(by_case)
    # The catalogue belongs to no township: no column, no filter.
    w.show_page("catalogue")
    assert not w.lists["catalogue"].township.isVisibleTo(w)
    assert w.lists["catalogue"].model.headerData(0, Qt.Orientation.Horizontal) != "乡镇"


# -- case-file review --------------------------------------------------------------------------------------


def test_review_sample_reproducible_prechecked_scored_and_rectified(qtbot: QtBot, filled: Sitting,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    w = _window(qtbot, filled)
    page = w.district_pages["district_review"]
    assert isinstance(page, ReviewPage)
    w.show_page("district_review")
    assert page.review is not None and page.review.seed == 20251201  # the demo's review is shown first

    page.draw(LAST_YEAR, 6, 4242)
    first = [f.case_uid for f in page.files_model.rows]
    page.draw(LAST_YEAR, 6, 4242)
    assert [f.case_uid for f in page.files_model.rows] == first and len(first) == 6
    page.draw(LAST_YEAR, 6, 4243)
    assert [f.case_uid for f in page.files_model.rows] != first

    # Every closed file of the year: the pre-check's findings are listed as problems before anyone scores.
    page.draw(LAST_YEAR, 500, 1)
    files = page.files_model.rows
    flagged = next(i for i, f in enumerate(files) if any(p.source == "auto" for p in f.problems))
    page.files.selectRow(flagged)
    texts = [page.problems_model.data(page.problems_model.index(r, 3)) for r in range(page.problems_model.rowCount())]
    assert "自动预检" in texts

    # Score a clean file on the sheet: a content point costs its points, the grade follows.
    clean = next(i for i, f in enumerate(files) if not f.problems)
    page.files.selectRow(clean)
    monkeypatch.setattr(ReviewPage, "ask_problem",
                        lambda self, item, label: ProblemInput(item or "C02", 5, "询问笔录未由当事人签名"))
    page.sheet.doubleClicked.emit(page.sheet_model.index(next(
        i for i, s in enumerate(page.sheet_model.rows) if s.code == "C02"), 1))
    scored = page.files_model.rows[clean]
    assert scored.total_score == 95 and [p.item for p in scored.problems] == ["C02"]
    assert any(s.code == "C02" and s.deducted == "−5" for s in page.sheet_model.rows)
    assert "95 分" in page.sheet_label.text()

    monkeypatch.setattr(ReviewPage, "ask_rectification",
                        lambda self, problem: RectifyInput("已补充签名", TODAY))
    page.problems.selectRow(0)
    page.rectify_button.click()
    problem = page.files_model.rows[clean].problems[0]
    assert problem.status == "rectified" and problem.rectified_on == TODAY
    assert "已整改 1" in page.files_model.data(page.files_model.index(clean, 6))


# -- Excel ledgers -----------------------------------------------------------------------------------------


def test_bad_excel_ledger_lists_the_rows_and_changes_nothing(qtbot: QtBot, filled: Sitting,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    w = _window(qtbot, filled)
    page = w.district_pages["district_intake"]
    assert isinstance(page, IntakePage)
    w.show_page("district_intake")
    changed: list[bool] = []
    w.data_events.changed.connect(lambda _kinds: changed.append(True))
    before = _business_rows(filled.db)

    bad = write_demo_ledger(filled.tmp / "bad.xlsx", good=0, with_mistakes=True)
    page.township.setEditText("竹根镇")
    page.import_ledger_file(bad)
    assert [b.row for b in page.bad_rows()] == [2, 3, 4, 5]
    assert "2026-13-01" in page.bad_rows()[0].reason and "2 人次" in page.bad_rows()[1].reason
    assert "有误 4 行" in page.ledger_message.text() and "新增 0" in page.ledger_message.text()

    # A file that is no workbook at all: refused with the reason.
    junk = filled.tmp / "junk.xlsx"
    junk.write_text("不是表格", encoding="utf-8")
    page.import_ledger_file(junk)
    assert page.ledger_message.text().startswith("未导入") and not page.bad_rows()

    # The same file under a township the district does not know yet: refused for what it is, without first
    # asking whether to create the township.
    asked: list[str] = []
    monkeypatch.setattr(IntakePage, "confirm_new_township", lambda self, name: asked.append(name) or False)
    page.township.setEditText("新镇")
    page.import_ledger_file(junk)
    assert asked == [] and "不是 Excel 工作簿" in page.ledger_message.text()

    # A township name typed wrong: the clerk is asked and says no.
    page.township.setEditText("竹根真")
    page.import_ledger_file(write_demo_ledger(filled.tmp / "good.xlsx", good=2, with_mistakes=False))
    assert asked == ["竹根真"]

    assert _business_rows(filled.db) == before
    assert not changed

    # The same good rows under the right name import (and tell the other screens).
    page.township.setEditText("竹根镇")
    page.import_ledger_file(filled.tmp / "good.xlsx")
    assert page.last_ledger is not None and page.last_ledger.new == 2 and changed


def test_template_written(qtbot: QtBot, filled: Sitting) -> None:
    page = IntakePage(filled.ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    out = filled.tmp / "模板.xlsx"
    assert page.write_template_file("mediations", out)
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert "人民调解台账" in wb.sheetnames and "填写说明" in wb.sheetnames
    assert not page.write_template_file("mediations", filled.tmp / "no-such-dir" / "x.xlsx")
    assert "无法写入" in page.ledger_message.text()


# -- annual report -----------------------------------------------------------------------------------------


def test_report_written_in_the_background(qtbot: QtBot, filled: Sitting) -> None:
    runner = TaskRunner()
    w = _window(qtbot, filled, runner)
    page = w.district_pages["district_report"]
    assert isinstance(page, ReportPage)
    w.show_page("district_report")
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)  # the preview, built on the worker
    assert page.data is not None and page.data.year == LAST_YEAR
    assert page.data.sentences[0].text[:6] in page.preview.toPlainText()

    out = filled.tmp / "报告" / "2025年度.docx"
    page.save(out)
    qtbot.waitUntil(lambda: page.written == out, timeout=30000)
    assert out.stat().st_size > 5000 and not partial_path(out).exists()
    assert "已保存" in page.message.text()
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert page.data.title in text and page.data.sentences[0].text in text
    runner.wait()


def test_report_cancelled_leaves_no_file(qtbot: QtBot, filled: Sitting) -> None:
    class CancellingRunner(SyncRunner):
        """The user presses 取消 as soon as the progress dialog shows."""

        def run(self, fn: Any, **kw: Any) -> TaskState:
            def cancelled(state: TaskState) -> Any:
                state.cancel()
                return fn(state)

            return super().run(cancelled, **kw)

    page = ReportPage(filled.ctx, runner=CancellingRunner())
    qtbot.addWidget(page)
    out = filled.tmp / "r.xlsx"
    page.save(out)
    assert not out.exists() and not partial_path(out).exists()
    assert page.written is None and "已取消" in page.message.text()


# -- roles, models -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL_REVIEWER])
def test_roles_without_the_district_permission(qtbot: QtBot, filled_district: Path, empty_district: DemoDistrict,
                                              tmp_path: Path, role: Role) -> None:
    s = _sitting(filled_district, empty_district.bundles, tmp_path, UserInfo("u", "u", "某人", role, None))
    try:
        w = _window(qtbot, s)
        pages = w.district_pages
        intake, grid, review = pages["district_intake"], pages["district_grid"], pages["district_review"]
        assert isinstance(intake, IntakePage) and isinstance(grid, GridPage) and isinstance(review, ReviewPage)
        for button in (intake.folder_button, intake.ledger_button, grid.close_button, grid.reopen_button,
                       review.draw_button, review.rectify_button):
            assert not button.isEnabled(), button.objectName()
        # A legal reviewer lent to the review may score files; an officer may only look.
        assert review.add_button.isEnabled() is (role is Role.LEGAL_REVIEWER)
        intake.import_bundles(s.bundles, trust_new=True)  # refused by the screen even when called directly
        assert intake.last_intake is None
    finally:
        s.db.dispose()


def test_every_district_item_model_passes_the_model_tester(qtbot: QtBot, filled: Sitting, qtmodeltester: Any) -> None:
    w = _window(qtbot, filled)
    for key in w.district_pages:
        w.show_page(key)
    pages = w.district_pages
    grid, intake, stats = pages["district_grid"], pages["district_intake"], pages["district_stats"]
    supervision, review = pages["district_supervision"], pages["district_review"]
    assert isinstance(grid, GridPage) and isinstance(intake, IntakePage) and isinstance(stats, StatsPage)
    assert isinstance(supervision, SupervisionPage) and isinstance(review, ReviewPage)
    grid.table.selectRow(0)
    stats.drill_selected()
    intake.import_bundles(filled.bundles, trust_new=True)  # already imported: the table still fills
    intake.township.setEditText("竹根镇")
    # A September row after September was closed: an amendment for the grid's list, and bad rows for the intake's.
    intake.import_ledger_file(write_demo_ledger(filled.tmp / "l.xlsx", good=1, first_day=date(TODAY.year, 9, 8)))
    grid.period.setCurrentIndex(grid.period.findData(9))
    models = [grid.model, grid.devices_model, grid.closes_model, grid.amend_model, intake.bundle_model,
              intake.bad_model, stats.indicator_model, stats.town_model, stats.drill_model, supervision.model,
              supervision.proxy, review.files_model, review.problems_model, review.sheet_model]
    for model in models:
        assert model.rowCount() > 0, model
        qtmodeltester.check(model)


def test_township_database_keeps_the_township_screens(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w = MainWindow(ctx, runner=SyncRunner(), ui_settings=settings)
    qtbot.addWidget(w)
    assert not w.district and not w.district_pages and _nav_keys(w)[0] == "home" and "parties" in w.lists
