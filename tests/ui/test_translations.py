"""The translation pipeline: every tr() string is in the .ts catalogues, the .qm files are compiled from them,
and loading the (partial) English .qm really changes the interface."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from tests.services.conftest import World

if TYPE_CHECKING:
    from ui.widgets.list_page import ListPage
from ui.i18n import (
    DATA_CONTEXT,
    SOURCE_LANGUAGE,
    STEP_CONTEXT,
    data_text,
    install_translations,
    requested_language,
    step_text,
    translations_dir,
)

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
REGENERATE = "run: python tools/update_translations.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "tools" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load_script()


@pytest.fixture(scope="module")
def fresh(script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """What lupdate finds in ui/ right now (plus the label tables), from scratch."""
    ts = tmp_path_factory.mktemp("i18n") / "fresh_zh_CN.ts"
    script.lupdate([ts], script.scan_ui())
    return set(script.read_ts(ts))


# -- the catalogues are complete ------------------------------------------------------------------------


def test_no_tr_call_is_hidden_from_the_translation_tools(script: ModuleType) -> None:
    unresolved = script.scan_ui().unresolved
    assert unresolved == [], "write these texts as literals or put them in a label table:\n" + "\n".join(unresolved)


@pytest.mark.parametrize("catalogue", ["enforcedesk_zh_CN.ts", "enforcedesk_en.ts"])
def test_every_tr_string_in_ui_is_in_the_ts_file(script: ModuleType, fresh: set[tuple[str, str]],
                                                  catalogue: str) -> None:
    assert len(fresh) > 300  # sanity: lupdate really read the sources
    committed = set(script.read_ts(I18N / catalogue))
    missing = sorted(fresh - committed)
    assert missing == [], f"{len(missing)} strings missing from {catalogue} ({REGENERATE}): {missing[:10]}"


def test_label_tables_and_wrappers_are_in_the_catalogue(script: ModuleType) -> None:
    committed = set(script.read_ts(I18N / "enforcedesk_zh_CN.ts"))
    for entry in [("ItemResult", "有问题"), ("data", "被申请人"), ("data", "投诉举报"), ("IdType", "统一社会信用代码"),
                  ("CrashHandler", "程序发生意外错误"), ("FieldSpec", "送达方式")]:
        assert entry in committed, entry


@pytest.mark.parametrize("catalogue", ["enforcedesk_zh_CN.ts", "enforcedesk_en.ts"])
def test_qm_files_are_compiled_from_the_ts_files(script: ModuleType, tmp_path: Path, catalogue: str) -> None:
    ts = I18N / catalogue
    compiled = tmp_path / ts.with_suffix(".qm").name
    script.lrelease(ts, compiled)
    assert ts.with_suffix(".qm").read_bytes() == compiled.read_bytes(), REGENERATE


def test_scanner_finds_tables_wrappers_defaults_and_refuses_the_rest(script: ModuleType, tmp_path: Path) -> None:
    src = tmp_path / "ui" / "sample.py"
    src.parent.mkdir()
    src.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "LABELS = {1: '甲', 2: '乙'}\n"
        "def label(k):\n    return QCoreApplication.translate('Kind', LABELS[k])\n"
        "def _tr(text):\n    return QCoreApplication.translate('Mod', text)\n"
        "def combo(everyone='全区'):\n    return _tr(everyone)\n"
        "class W:\n"
        "    def f(self, name):\n"
        "        _tr('丙')\n"
        "        self.tr('丁')\n"
        "        self.tr(name)\n"
        "        self.tr(f'{name}戊')\n"
        "        combo(everyone='全市')\n"
        "        combo(everyone=name)\n",
        encoding="utf-8")
    scan = script.Scan()
    script.scan_file(src, "ui/sample.py", scan)
    script.scan_callers(src, "ui/sample.py", scan)
    assert scan.extra == {("Kind", "甲"), ("Kind", "乙"), ("Mod", "丙"), ("Mod", "全区"), ("Mod", "全市")}
    assert scan.literal == {("W", "丁")}
    assert [u.split(": ", 1)[1] for u in scan.unresolved] == [
        "tr(name)", "tr(f'{name}戊')", "combo(everyone=name)"]


def test_data_labels_are_harvested_into_both_catalogues(script: ModuleType) -> None:
    """Enum labels and the list specs' texts are in the catalogues: adding one without regenerating fails here."""
    from models import mediation_flow, penalty_flow
    from services.read.queries import LISTS

    assert (script.DATA_CONTEXT, script.STEP_CONTEXT) == (DATA_CONTEXT, STEP_CONTEXT)
    steps = {*penalty_flow.ACTION_LABELS.values(), *mediation_flow.ACTION_LABELS.values()}
    assert steps <= {text for ctx, text in script.read_ts(I18N / "enforcedesk_en.ts") if ctx == STEP_CONTEXT}
    from models.labels import LABELS

    wanted = set(LABELS.values())
    assert {"已终止", "终止调解", "移送", "已移送"} <= wanted  # statuses of equal value in different enums
    for spec in LISTS.values():
        wanted |= {spec.title, *(c.label for c in spec.columns), *(text for _v, text in spec.statuses)}
    harvested = {text for ctx, text in script.data_strings() if ctx == DATA_CONTEXT}
    assert wanted - harvested == set()
    for catalogue in script.CATALOGUES:
        committed = {text for ctx, text in script.read_ts(I18N / catalogue) if ctx == DATA_CONTEXT}
        missing = sorted(wanted - committed)
        assert missing == [], f"{catalogue} lacks data labels ({REGENERATE}): {missing[:10]}"


def test_data_text_calls_with_a_variable_are_not_unresolved(script: ModuleType, tmp_path: Path) -> None:
    src = tmp_path / "ui" / "sample.py"
    src.parent.mkdir()
    src.write_text("from ui.i18n import data_text\n"
                   "def f(x):\n    return data_text(x), data_text('书面')\n", encoding="utf-8")
    scan = script.Scan()
    script.scan_file(src, "ui/sample.py", scan)
    assert scan.unresolved == []
    assert scan.extra == {(DATA_CONTEXT, "书面")}  # a literal is handed to lupdate like any wrapper's


# -- loading them -------------------------------------------------------------------------------------------


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    installed = install_translations(qapp, "en")
    assert installed.language == "en" and installed.app is not None
    assert installed.app.name == "enforcedesk_en.qm"
    yield
    back = install_translations(qapp, SOURCE_LANGUAGE)  # the other tests expect Chinese
    assert back.language == SOURCE_LANGUAGE and back.qt


@pytest.mark.gui
def test_english_qm_translates_the_menus_and_navigation(qtbot: QtBot, ctx: AppContext, world: World,
                                                        english: None, tmp_path: Path) -> None:
    from ui.forms.inspection_form import InspectionDialog
    from ui.main_window import MainWindow
    from ui.operations import SyncRunner
    from ui.ui_settings import UiSettings

    assert QCoreApplication.translate("MainWindow", "文件(&F)") == "&File"
    window = MainWindow(ctx, runner=SyncRunner(),
                        ui_settings=UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Help"]
    assert [a.text() for a in window.menuBar().actions()[0].menu().actions() if a.text()][:2] == ["&New", "&Find"]
    assert window.nav.item(0).text() == "Workbench"
    form = InspectionDialog(ctx)
    qtbot.addWidget(form)
    assert form.ok_button.text() == "&Save"  # inherited FormDialog string, FormDialog context
    assert form.windowTitle() == "新建检查记录"  # partial: the rest stays in the source language
    if os.environ.get("ENFORCEDESK_I18N_SHOTS"):
        out = Path(os.environ["ENFORCEDESK_I18N_SHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        window.resize(1280, 760)
        window.show()
        qtbot.waitExposed(window)
        window.grab().save(str(out / "main_window_en.png"))


@pytest.mark.gui
def test_chinese_is_the_default_and_an_unknown_language_falls_back_to_it(qapp: QApplication) -> None:
    assert requested_language({}) == "zh_CN"
    assert requested_language({"ENFORCEDESK_LANG": " en-US "}) == "en_US"
    try:
        fallback = install_translations(qapp, "fr")  # no enforcedesk_fr.qm: never French Qt buttons around Chinese
        assert fallback.language == SOURCE_LANGUAGE and fallback.qt
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QCoreApplication.translate("MainWindow", "文件(&F)") == "文件(&F)"
        english = install_translations(qapp, "en_US")  # en_US finds enforcedesk_en.qm
        assert english.app is not None and QCoreApplication.translate("ListPage", "全部状态") == "All statuses"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"  # Qt's own, in English
    finally:
        install_translations(qapp, SOURCE_LANGUAGE)
    assert QCoreApplication.translate("MainWindow", "文件(&F)") == "文件(&F)"


def test_the_catalogues_ship_where_the_app_looks(script: ModuleType) -> None:
    assert translations_dir() == I18N
    for name in script.CATALOGUES:
        assert (I18N / name).with_suffix(".qm").is_file()


def _list_page(ctx: AppContext, name: str) -> ListPage:
    from services.read import queries
    from ui.widgets.list_page import ListPage

    page = ListPage(queries.list_info(name), lambda q: queries.list_page(ctx.reader(), name, q))
    page.apply_filters()
    return page


def _shown(page: ListPage) -> tuple[list[str], list[str], set[str]]:
    """(column headers, status combo texts, every cell text) as the table shows them."""
    from PySide6.QtCore import Qt

    model = page.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    combo = [page.status.itemText(i) for i in range(page.status.count())]
    cells = {model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())}
    return headers, combo, cells


@pytest.mark.gui
def test_english_list_pages_show_english_titles_headers_statuses_and_labels(
        qtbot: QtBot, ctx: AppContext, world: World, english: None) -> None:
    cases = _list_page(ctx, "cases")
    qtbot.addWidget(cases)
    headers, combo, _cells = _shown(cases)
    assert cases.windowTitle() == "Penalty cases"
    assert headers[:3] == ["Case number", "Status", "Procedure"] and headers[-2:] == ["Fine (CNY)", "Domain"]
    assert combo[:3] == ["All statuses", "Clue registered", "Not filed"]
    assert {"Summary penalty", "Archived"} <= set(combo)

    officers = _list_page(ctx, "officers")
    qtbot.addWidget(officers)
    headers, _combo, cells = _shown(officers)
    assert officers.windowTitle() == "Officers"
    assert headers == ["Name", "Sex", "Role", "Certificate no.", "Certificate kind", "Issued on", "Valid to",
                       "Certificate status", "Phone", "Domains"]
    assert {"Officer", "Legal reviewer"} <= cells  # the Role labels the service filled in
    assert not {"执法队员", "法制审核员"} & cells
    assert data_text("中队长") == "Squad leader"
    # One Chinese word, two meanings: the inspection result 移送 and the step 移送 are translated apart.
    assert (data_text("移送"), step_text("移送")) == ("Transferred out", "Transfer")


@pytest.mark.gui
def test_without_a_translator_the_list_pages_keep_the_services_chinese(qtbot: QtBot, ctx: AppContext,
                                                                      world: World) -> None:
    from services.read import queries

    assert data_text("行政处罚案件") == "行政处罚案件" and data_text("") == ""
    for name in ("cases", "officers"):
        info = queries.list_info(name)
        page = _list_page(ctx, name)
        qtbot.addWidget(page)
        headers, combo, cells = _shown(page)
        assert page.windowTitle() == info.title
        assert headers == [c.label for c in info.columns]
        assert combo == ["全部状态", *(text for _v, text in info.statuses)]
    assert {"执法队员", "法制审核员"} <= cells


@pytest.mark.gui
def test_detail_page_translates_field_names_labels_and_the_record_kind(qtbot: QtBot, ctx: AppContext,
                                                                      english: None) -> None:
    from PySide6.QtWidgets import QFormLayout, QLabel

    from services.read.details import RecordDetail
    from ui.data_events import DataEvents
    from ui.operations import SyncRunner
    from ui.widgets.detail_page import DetailPage

    page = DetailPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.show_detail(RecordDetail("officers", "u-1", "执法人员 张三", (("角色", "中队长"), ("姓名", "张三"))))
    assert page.title.text() == "Officers 张三"
    texts = []
    for row in range(page.form.rowCount()):
        for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
            widget = page.form.itemAt(row, role).widget()
            assert isinstance(widget, QLabel)
            texts.append(widget.text())
    assert texts == ["Role：", "Squad leader", "Name：", "张三"]  # a name is data: never translated
