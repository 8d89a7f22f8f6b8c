"""Issue 17 on screen: the first-run wizard shows the recovery key once (with its printable sheet, and 继续 only
after 我已妥善保存); the login puts the unlocked key on the context; 使用恢复密钥 at the login sets a new
administrator password and signs in; a wrong recovery key or an account without a key slot is told plainly."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

import ui.login as login_module
from services.core.context import AppContext
from services.core.db import Database
from ui.login import FirstRunDialog, LoginDialog
from ui.recovery_key import RecoveryLoginDialog

pytestmark = pytest.mark.gui
PASSWORD = "Shiban2026"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[AppContext]:
    db = Database.open(tmp_path / "shiban.sqlite3")
    try:
        yield AppContext(db)
    finally:
        db.dispose()


def _slots(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(str(path)) as conn:
        return [*conn.execute("SELECT label, blob FROM key_slot ORDER BY label"),
                *conn.execute("SELECT username, password_hash FROM user_account ORDER BY id")]


def _set_up(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> FirstRunDialog:
    wizard = FirstRunDialog(ctx, ask_sheet_path=lambda _parent: tmp_path / "恢复密钥单.pdf")
    qtbot.addWidget(wizard)
    wizard.township.setText("石板镇")
    wizard.district.setText("乐山市五通桥区")
    wizard.squad.setText("石板镇综合行政执法中队")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    assert wizard.submit()
    return wizard


def test_the_wizard_shows_the_recovery_key_once_with_its_sheet(qtbot: QtBot, fresh: AppContext,
                                                               tmp_path: Path) -> None:
    wizard = _set_up(qtbot, fresh, tmp_path)
    wizard.show()
    panel = wizard.recovery
    assert panel is not None and wizard.result_value is not None
    key = wizard.result_value.recovery_key
    assert panel.key_label.text() == key and panel.isVisible() and not wizard.township_box.isVisible()
    ok = wizard.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "继续" and not ok.isEnabled() and not wizard.finish()
    shots = Path(os.environ.get("ENFORCEDESK_SHOTS", tmp_path))
    wizard.grab().save(str(shots / "first_run_recovery_key.png"))

    sheet = panel.save_sheet()
    assert sheet is not None and sheet.is_file() and "请打印后删除" in panel.status.text()
    text = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert key in text and "石板镇" in text and "shiban.sqlite3" in text
    panel.saved.setChecked(True)
    assert ok.isEnabled() and wizard.finish() and wizard.result() == FirstRunDialog.DialogCode.Accepted


def test_the_login_unlocks_the_key_onto_the_context(qtbot: QtBot, fresh: AppContext, tmp_path: Path) -> None:
    made = _set_up(qtbot, fresh, tmp_path).result_value
    assert made is not None and made.data_key is not None and fresh.data_key is None
    login = LoginDialog(fresh, last_user="admin")
    qtbot.addWidget(login)
    login.password.setText("wrong-pass1")
    assert not login.submit() and fresh.data_key is None and login.data_key is None
    login.password.setText(PASSWORD)
    assert login.submit() and fresh.data_key is not None and fresh.data_key.raw == made.data_key.raw
    assert login.data_key is fresh.data_key and login.recovery_button.isVisibleTo(login)


def test_an_account_without_a_slot_is_told_what_to_do(qtbot: QtBot, fresh: AppContext, tmp_path: Path) -> None:
    _set_up(qtbot, fresh, tmp_path)
    assert fresh.db.path is not None
    with sqlite3.connect(str(fresh.db.path)) as conn:
        conn.execute("DELETE FROM key_slot WHERE label = 'user:admin'")  # as before the database was encrypted
    login = LoginDialog(fresh, last_user="admin")
    qtbot.addWidget(login)
    login.password.setText(PASSWORD)
    assert not login.submit() and "请管理员为您重置密码" in login.error.text() and fresh.data_key is None


def test_every_password_lost_the_recovery_key_signs_in(qtbot: QtBot, fresh: AppContext, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    made = _set_up(qtbot, fresh, tmp_path).result_value
    assert made is not None and fresh.db.path is not None
    path = fresh.db.path
    before = _slots(path)
    dialogs: list[RecoveryLoginDialog] = []

    class Driven(RecoveryLoginDialog):
        """recover_login's dialog, driven as a user would, without its modal loop."""

        def exec(self) -> int:
            dialogs.append(self)
            self.key.setText("00000-00000-00000-00000-00000-0")
            self.new.setText("Found2026pw")
            self.new2.setText("Found2026pw")
            assert not self.submit() and "恢复密钥不正确" in self.error.text()
            assert _slots(path) == before  # a wrong key changes nothing
            self.key.setText(made.recovery_key.lower().replace("-", ""))  # as typed from the sheet
            self.new2.setText("Typo2026pw")
            assert not self.submit() and "不一致" in self.error.text()
            self.new2.setText("Found2026pw")
            assert self.submit()
            return int(self.DialogCode.Accepted)

    monkeypatch.setattr(login_module, "RecoveryLoginDialog", Driven)
    login = LoginDialog(fresh, last_user="admin")  # its 使用恢复密钥 is recover_login on the context
    qtbot.addWidget(login)
    assert login.use_recovery_key()
    assert login.user is not None and login.user.username == "admin" and not login.user.must_change_password
    assert fresh.data_key is not None and made.data_key is not None and fresh.data_key.raw == made.data_key.raw
    assert [d.account.currentText() for d in dialogs] == ["admin"]
    again = LoginDialog(fresh, last_user="admin")
    qtbot.addWidget(again)
    again.password.setText("Found2026pw")  # the new password opens it from now on
    assert again.submit()
