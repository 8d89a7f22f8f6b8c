"""Chinese only: every page, form, step dialog, file dialog and message box, scanned for visible Latin words.

A word of two or more Latin letters the user can see fails the test unless it is a code or a product name the
user meets in Chinese software too (PDF, USB, Excel …; ``ALLOWED``). Table names (``case_officer``), English
exception tails and Qt's untranslated buttons ("Look in:", "Cancel") are what this catches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models.enums import MediationPartyRole, Role
from models.labels import record_label
from models.mediation_flow import MediationAction
from models.penalty_flow import CaseAction
from services.core.context import AppContext
from services.people.accounts import UserInfo
from services.procedures import cases
from services.procedures import mediation as med
from services.procedures.actions import CASE_FIELDS, MEDIATION_FIELDS
from services.sync.tables import table_names
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from tests.ui.test_district_ui import empty_district, filled, filled_district  # noqa: F401 - pytest fixtures
from ui.compose import main_window
from ui.i18n import install_translations
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui

# Codes and names that Chinese software shows as they are.
ALLOWED = frozenset({
    "PDF", "UUID", "Excel", "USB", "QR", "SHA", "ID", "CSV", "WPS", "Word", "SQLite", "PostgreSQL", "EnforceDesk",
    "Ctrl", "Esc", "Shift", "Alt", "Tab", "Enter", "KB", "MB", "GB", "ttc", "ttf", "otf", "simsun", "xlsx", "docx",
    "pdf", "csv", "edsync", "png", "jpg", "jpeg", "sqlite", "sqlite3", "zip",
})
# Two or more letters, not part of a code: letters run into digits or a hyphen and digits (SR-003, SC0001, D7K2).
LATIN_WORD = re.compile(r"(?<![A-Za-z\d])[A-Za-z]{2,}(?![A-Za-z\d]|-\d)")
TAG = re.compile(r"<[^>]+>")


def latin_words(text: str) -> set[str]:
    """The Latin words of a visible text that are not allowed (HTML tags and entities taken out first). Capitals
    of up to five letters are codes (a device's KAMV, USB, QR)."""
    plain = TAG.sub(" ", text).replace("&nbsp;", " ").replace("&amp;", "&")
    return {w for w in LATIN_WORD.findall(plain) if w not in ALLOWED and not (w.isupper() and len(w) <= 5)}


# The file dialog's folder list and path: the computer's own file names, not the program's words.
USERS_FILES = frozenset({"lookInCombo", "sidebar", "listView", "treeView"})


def _view_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    top = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
    out = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    if view.objectName() not in USERS_FILES:
        for r in range(min(model.rowCount(top), 30)):
            out.extend(str(model.data(model.index(r, c, top)) or "") for c in range(columns))
    return out


def visible_texts(root: QWidget) -> list[str]:
    """What the user can read on ``root``: titles, labels, buttons, choices, headers, rows, placeholders, tips."""
    out = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if w is not root and not w.isVisibleTo(root):
            continue
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QComboBox) and w.objectName() not in USERS_FILES:
            out.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QTabBar):
            out.extend(w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QAbstractItemView):
            out.extend(_view_texts(w))
        out.append(w.toolTip())
    return [t for t in out if t]


def assert_chinese(root: QWidget, where: str) -> None:
    found = {(word, text[:80]) for text in visible_texts(root) for word in latin_words(text)}
    assert not found, f"{where}: Latin words visible: {sorted(found)}"


@pytest.fixture(autouse=True)
def _chinese(qapp: QApplication) -> Iterator[None]:
    """The shipped language, Qt's own strings (qtbase_zh_CN) included."""
    installed = install_translations(qapp, "zh_CN")
    assert installed.qt, "Qt's zh_CN translations (qtbase_zh_CN.qm) were not found"
    yield


@pytest.fixture
def window(qtbot: QtBot, world: World, tmp_path: Path) -> MainWindow:  # noqa: F811
    ctx = AppContext(world.db, world.clock, UserInfo("u1", "leader", "中队长", Role.SQUAD_LEADER, None))
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    w = main_window(ctx, ui_settings=settings, runner=SyncRunner(), db_label="测试")
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    return w


def test_every_synced_table_has_a_chinese_name() -> None:
    assert not [t for t in table_names() if latin_words(record_label(t))]  # models/labels.py names them all


def test_latin_words_are_found_and_codes_are_allowed() -> None:
    assert latin_words("Look in:") == {"Look", "in"}
    assert latin_words("File is not a zip file") == {"File", "is", "not", "a", "zip", "file"} - {"a", "zip"}
    assert latin_words("另存为PDF…（SHA-256）<b>案件</b>") == set()
    assert latin_words("case_officer") == {"case", "officer"}
    assert latin_words("SR-003 占道（SC0001，设备 D7K2）") == set()


def test_every_page_of_the_township_window(window: MainWindow) -> None:
    for row in range(window.nav.count()):
        key = window.nav.item(row).data(Qt.ItemDataRole.UserRole)
        window.show_page(key)
        assert_chinese(window, f"page {key}")


def test_the_record_views_and_their_step_dialogs(window: MainWindow, world: World) -> None:  # noqa: F811
    from datetime import date

    uid = cases.register_clue(world.uow(), cases.ClueInput(
        cause="占道堆放建筑材料", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21), place="桥沟街")).uid
    window.open_record("cases", uid)
    assert_chinese(window, "case view")
    for action in CASE_FIELDS:
        dlg = window.case_view.dialog_for(action) if action is not CaseAction.CLOSE else None
        if dlg is not None:
            dlg.show()
            assert_chinese(dlg, f"step {action.value}")
            dlg.close()
    doc = window.case_view.document_dialog()
    doc.show()
    assert_chinese(doc, "documents")
    doc.close()
    mc = med.register_mediation(world.uow(), med.MediationInput(
        category_code="02", committee_uid=world.committee, applied_on=date(2026, 2, 27),
        parties=[(world.adult, MediationPartyRole.APPLICANT), (world.teen16, MediationPartyRole.RESPONDENT)],
        summary="邻里排水纠纷"))
    window.open_record("mediations", mc.uid)
    assert_chinese(window, "mediation view")
    for m_action in MEDIATION_FIELDS:
        if m_action is MediationAction.CLOSE:
            continue
        dlg = window.mediation_view.dialog_for(m_action)
        dlg.show()
        assert_chinese(dlg, f"step {m_action.value}")
        dlg.close()


def test_every_record_form(window: MainWindow) -> None:
    from ui.forms.campaign_form import CampaignDialog
    from ui.forms.case_form import ClueDialog, SummaryDialog
    from ui.forms.inspection_form import InspectionDialog
    from ui.forms.mediation_form import MediationDialog
    from ui.forms.party_form import PartyDialog
    from ui.people.officer_form import OfficerDialog

    ctx = window.ctx
    assert ctx is not None
    for form in (InspectionDialog, ClueDialog, SummaryDialog, MediationDialog, PartyDialog, CampaignDialog,
                 OfficerDialog):
        dlg: Any = form(ctx, window)
        dlg.show()
        assert_chinese(dlg, form.__name__)
        dlg.close()


def test_qt_file_dialogs_and_message_boxes_speak_chinese(window: MainWindow, qtbot: QtBot) -> None:
    files = QFileDialog(window, "选择同步包")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.setFileMode(QFileDialog.FileMode.ExistingFile)
    qtbot.addWidget(files)
    files.show()
    assert_chinese(files, "file dialog")  # "Look in:", "File name:", "Files of type:" untranslated would fail
    files.close()
    box = QMessageBox(QMessageBox.Icon.Question, "请确认", "确定吗？", QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel
                      | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Ok
                      | QMessageBox.StandardButton.Save, window)
    qtbot.addWidget(box)
    box.show()
    assert_chinese(box, "message box")
    box.close()


def test_every_page_of_the_district_window(qtbot: QtBot, filled: Any) -> None:  # noqa: F811
    settings = UiSettings(QSettings(str(filled.tmp / "ui.ini"), QSettings.Format.IniFormat))
    w = main_window(filled.ctx, ui_settings=settings, runner=SyncRunner(), db_label="区级数据库")
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    assert w.district
    for row in range(w.nav.count()):
        key = w.nav.item(row).data(Qt.ItemDataRole.UserRole)
        w.show_page(key)
        assert_chinese(w, f"district page {key}")
