"""The first-run wizard's two kinds of database: a township office (乡镇执法中队) or the district (区级).

What a district clerk does on a new computer: choose 区级, type the district and a password, then log in and see
the district screens. Every refused submit must leave the new database exactly as it was (still uninitialised).
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QRadioButton
from pytestqt.qtbot import QtBot

import cli.gui as entry
import ui.app as ui_app
from services.core.context import AppContext
from services.core.db import Database
from services.reference.setup import is_initialised
from tests.services.conftest import snapshot
from tests.ui.walk import set_up_and_confirm
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui

PASSWORD = "Wutong2026"
DISTRICT_PAGES = {"district_grid", "district_intake", "district_stats", "district_supervision", "district_review",
                  "district_report"}


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[AppContext]:
    """A new, uninitialised database file, as the start-up hands it to the wizard."""
    db = Database.open(tmp_path / "new.sqlite3")
    try:
        yield AppContext(db)
    finally:
        db.dispose()


def _wizard(qtbot: QtBot, ctx: AppContext) -> FirstRunDialog:
    wizard = FirstRunDialog(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _click(qtbot: QtBot, button: QRadioButton) -> None:
    # On the indicator: a radio button reacts to its indicator and text, not to the empty width beside them.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _choose_district(qtbot: QtBot, wizard: FirstRunDialog) -> None:
    _click(qtbot, wizard.district_choice)
    assert wizard.is_district()


def _on_disk(path: Path) -> tuple[str, str, str, str, str, str, str]:
    """(device kind, device name, township name, district name, squad, admin role, admin display name)."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT d.kind, d.name, t.name, t.district_name, s.name, u.role, u.display_name "
            "FROM local_state l JOIN device d ON d.uid = l.value JOIN township t ON t.id = d.township_id "
            "JOIN squad s ON s.township_id = t.id, user_account u "
            "WHERE l.key = 'device_uid' AND u.username = 'admin'").fetchone()
    finally:
        conn.close()


def test_the_choice_shows_the_fields_of_the_kind_chosen(qtbot: QtBot, fresh: AppContext) -> None:
    wizard = _wizard(qtbot, fresh)
    assert wizard.office_choice.isChecked() and not wizard.is_district()
    assert wizard.township_box.isVisible() and not wizard.district_box.isVisible()
    # A field laptop is explained, not offered: it is copied from the office's database.
    assert not wizard.field_choice.isEnabled()
    notes = " ".join(label.text() for label in wizard.findChildren(QLabel))
    assert "外勤笔记本不在这里初始化" in notes and "办公室主机" in notes
    assert "中队长" in wizard.account_note.text()

    wizard.district.setText("乐山市五通桥区")  # 所属区县, typed before the clerk notices the choice
    _choose_district(qtbot, wizard)
    assert wizard.district_box.isVisible() and not wizard.township_box.isVisible()
    assert wizard.district_name.text() == "乐山市五通桥区"
    assert "区级管理员" in wizard.account_note.text()
    # Every wrapped explanation has the height it needs (none is cut to one line by a window too low).
    assert wizard.height() >= wizard.layout().totalHeightForWidth(wizard.width())

    _click(qtbot, wizard.office_choice)
    assert wizard.township_box.isVisible() and not wizard.district_box.isVisible()


def test_township_office_path_makes_a_township_database(qtbot: QtBot, fresh: AppContext) -> None:
    wizard = _wizard(qtbot, fresh)
    wizard.township.setText("石板镇")
    wizard.district.setText("乐山市五通桥区")
    wizard.squad.setText("石板镇综合行政执法中队")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    assert set_up_and_confirm(wizard) and wizard.result() == FirstRunDialog.DialogCode.Accepted
    assert fresh.db.path is not None
    assert _on_disk(fresh.db.path) == ("office", "石板镇主机", "石板镇", "乐山市五通桥区", "石板镇综合行政执法中队",
                                       "squad_leader", "管理员")


def test_district_path_makes_a_district_database_and_the_window_shows_the_district(
        qtbot: QtBot, fresh: AppContext, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, fresh)
    _choose_district(qtbot, wizard)
    wizard.district_name.setText("  乐山市五通桥区 ")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    ok = wizard.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert wizard.recovery is not None and not ok.isEnabled()  # the recovery key first, shown once
    wizard.reject()  # Esc does not skip it
    assert wizard.result() != FirstRunDialog.DialogCode.Accepted and wizard.isVisible()
    qtbot.mouseClick(wizard.recovery.saved, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert wizard.result() == FirstRunDialog.DialogCode.Accepted and wizard.error.text() == ""
    assert wizard.result_value is not None and wizard.result_value.admin_password is None  # the one typed
    assert fresh.db.path is not None
    assert _on_disk(fresh.db.path) == ("district", "乐山市五通桥区主机", "乐山市五通桥区", "乐山市五通桥区",
                                       "乐山市五通桥区综合行政执法局", "district_admin", "管理员")

    login = LoginDialog(fresh, last_user="admin")
    qtbot.addWidget(login)
    login.password.setText(PASSWORD)
    assert login.submit() and login.user is not None and login.user.role.value == "district_admin"
    fresh.user = login.user
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = MainWindow(fresh, runner=SyncRunner(), ui_settings=settings, db_label="district")
    qtbot.addWidget(window)
    assert window.district and set(window.district_pages) == DISTRICT_PAGES
    assert "区级" in window.windowTitle() and "home" not in window.pages


def test_district_bureau_can_be_named(qtbot: QtBot, fresh: AppContext) -> None:
    wizard = _wizard(qtbot, fresh)
    _choose_district(qtbot, wizard)
    wizard.district_name.setText("乐山市五通桥区")
    wizard.bureau.setText("五通桥区综合行政执法局")
    wizard.admin.setText("qu-admin")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    assert wizard.submit()
    conn = sqlite3.connect(str(fresh.db.path))
    try:
        assert conn.execute("SELECT name FROM squad").fetchall() == [("五通桥区综合行政执法局",)]
        assert conn.execute("SELECT username, role FROM user_account").fetchall() == [("qu-admin", "district_admin")]
    finally:
        conn.close()


@pytest.mark.parametrize(("district", "admin", "password", "again", "message", "focus"), [
    ("   ", "admin", PASSWORD, PASSWORD, "区县名称不能为空", "district_name"),
    ("乐山市五通桥区", "admin", "short1", "short1", "密码至少需要8位", "password"),
    ("乐山市五通桥区", "admin", "12345678", "12345678", "须同时包含字母和数字", "password"),
    ("乐山市五通桥区", "admin", PASSWORD, PASSWORD + "x", "两次输入的密码不一致", "password2"),
    # Refused by the account rules inside the service, after the device and township rows were added: rolled back.
    ("乐山市五通桥区", "  ", PASSWORD, PASSWORD, "用户名不能为空", "admin"),
])
def test_refused_district_input_changes_nothing(qtbot: QtBot, fresh: AppContext, district: str, admin: str,
                                                password: str, again: str, message: str, focus: str) -> None:
    before = snapshot(fresh.db)
    wizard = _wizard(qtbot, fresh)
    _choose_district(qtbot, wizard)
    wizard.district_name.setText(district)
    wizard.admin.setText(admin)
    wizard.password.setText(password)
    wizard.password2.setText(again)
    assert not wizard.submit()
    assert message in wizard.error.text() and wizard.result() != FirstRunDialog.DialogCode.Accepted
    assert wizard.focusWidget() is getattr(wizard, focus)  # the cursor is where the correction goes
    assert not is_initialised(fresh.db) and snapshot(fresh.db) == before

    # Corrected in the same dialog, the district is made.
    wizard.district_name.setText("乐山市五通桥区")
    wizard.admin.setText("admin")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    assert wizard.submit() and is_initialised(fresh.db)


def test_refused_township_input_changes_nothing(qtbot: QtBot, fresh: AppContext) -> None:
    before = snapshot(fresh.db)
    wizard = _wizard(qtbot, fresh)
    wizard.township.setText("石板镇")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    assert not wizard.submit() and "中队名称不能为空" in wizard.error.text()
    assert wizard.focusWidget() is wizard.squad
    assert not is_initialised(fresh.db) and snapshot(fresh.db) == before


def test_an_initialised_database_is_not_set_up_again_as_a_district(qtbot: QtBot, fresh: AppContext) -> None:
    township = _wizard(qtbot, fresh)
    township.township.setText("石板镇")
    township.squad.setText("石板镇综合行政执法中队")
    township.password.setText(PASSWORD)
    township.password2.setText(PASSWORD)
    assert township.submit()
    before = snapshot(fresh.db)
    again = _wizard(qtbot, fresh)
    _choose_district(qtbot, again)
    again.district_name.setText("乐山市五通桥区")
    again.password.setText(PASSWORD)
    again.password2.setText(PASSWORD)
    assert not again.submit() and "已经初始化" in again.error.text()
    assert snapshot(fresh.db) == before


def test_first_start_of_a_district_computer_opens_the_district_window(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """main.py's start on a new file: the wizard (区级), the login, then the main window with the district pages."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs the crash handler
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))
    crashes: list[Path | None] = []
    real_handler = ui_app.CrashHandler
    monkeypatch.setattr(ui_app, "CrashHandler", lambda path: real_handler(path, show_dialog=crashes.append))
    windows: list[MainWindow] = []

    def settle(_app: QApplication) -> int:
        # Instead of the event loop: let the window attach what loaded in the background, then return.
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        windows.extend(shown)
        qtbot.waitUntil(lambda: all(w.attached for w in shown), timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", settle)

    class Wizard(ui_app.FirstRunDialog):
        def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
            super().showEvent(event)
            self.district_choice.setChecked(True)
            self.district_name.setText("乐山市五通桥区")
            self.password.setText(PASSWORD)
            self.password2.setText(PASSWORD)
            QTimer.singleShot(0, lambda: set_up_and_confirm(self))

    class Login(ui_app.LoginDialog):
        def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
            super().showEvent(event)
            self.username.setText("admin")
            self.password.setText(PASSWORD)
            QTimer.singleShot(0, lambda: self.submit() or self.reject())

    monkeypatch.setattr(ui_app, "FirstRunDialog", Wizard)
    monkeypatch.setattr(ui_app, "LoginDialog", Login)
    db_path = tmp_path / "new" / "enforcedesk.sqlite3"
    assert entry.run_gui(db_path) == 0 and crashes == []
    assert len(windows) == 1
    window = windows[0]
    try:
        assert window.district and set(window.district_pages) == DISTRICT_PAGES
        assert window.ctx is not None and window.ctx.user is not None
        assert window.ctx.user.role.value == "district_admin"
    finally:
        window.close()
        window.deleteLater()
    assert _on_disk(db_path)[0] == "district"
