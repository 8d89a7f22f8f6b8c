"""First run on an empty database, then login: what a new township sees on day one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from services.core.db import Database
from services.reference.setup import is_initialised
from ui.login import FirstRunDialog, LoginDialog

pytestmark = pytest.mark.gui


def test_first_run_then_login(qtbot: QtBot, tmp_path: Path) -> None:
    db = Database.open(tmp_path / "new.sqlite3")
    try:
        ctx = AppContext(db)
        wizard = FirstRunDialog(ctx)
        qtbot.addWidget(wizard)
        wizard.township.setText("石板镇")
        wizard.squad.setText("石板镇综合行政执法中队")
        wizard.district.setText("乐山市五通桥区")
        wizard.password.setText("short")
        wizard.password2.setText("short")
        assert not wizard.submit() and "至少需要8位" in wizard.error.text()
        assert not is_initialised(db)  # a refused first run writes nothing
        wizard.password.setText("Shiban2026")
        wizard.password2.setText("Shiban2025")
        assert not wizard.submit() and "不一致" in wizard.error.text()
        wizard.password2.setText("Shiban2026")
        assert wizard.submit() and is_initialised(db)
        assert wizard.result_value is not None and wizard.result_value.calendar_days > 500

        login = LoginDialog(ctx, last_user="admin")
        qtbot.addWidget(login)
        login.password.setText("wrong-pass1")
        assert not login.submit() and "用户名或密码错误" in login.error.text() and login.password.text() == ""
        login.password.setText("Shiban2026")
        assert login.submit() and login.user is not None and login.user.username == "admin"
    finally:
        db.dispose()


def test_five_wrong_passwords_lock_the_account(qtbot: QtBot, tmp_path: Path) -> None:
    db = Database.open(tmp_path / "lock.sqlite3")
    try:
        ctx = AppContext(db)
        wizard = FirstRunDialog(ctx)
        qtbot.addWidget(wizard)
        wizard.township.setText("石板镇")
        wizard.squad.setText("中队")
        wizard.password.setText("Shiban2026")
        wizard.password2.setText("Shiban2026")
        assert wizard.submit()
        login = LoginDialog(ctx, last_user="admin")
        qtbot.addWidget(login)
        for _ in range(5):
            login.password.setText("bad-pass-1")
            login.submit()
        login.password.setText("Shiban2026")
        assert not login.submit() and "锁定" in login.error.text()
    finally:
        db.dispose()
