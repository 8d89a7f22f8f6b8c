"""The translation pipeline: every tr() string is in the .ts catalogues, the .qm files are compiled from them,
and loading the (partial) English .qm really changes the interface."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.context import AppContext
from tests.services.conftest import World
from ui.i18n import SOURCE_LANGUAGE, install_translations, requested_language, translations_dir

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
REGENERATE = "run: python resources/i18n/update_translations.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", I18N / "update_translations.py")
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
    for entry in [("ItemResult", "有问题"), ("MediationPartyRole", "被申请人"), ("IdType", "统一社会信用代码"),
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
    from ui.task_runner import SyncRunner
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
