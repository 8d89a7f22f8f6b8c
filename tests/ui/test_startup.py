"""The desktop start as main.py runs it: login dialog first, the rest loaded meanwhile, then the 工作台."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

import cli.gui as entry
import ui.app as ui_app
import ui.main_window as ui_main_window
from services.core import quick_login
from services.core.context import AppContext
from services.core.db import Database
from services.core.errors import AppError
from services.read import queries
from services.read.home import home_snapshot
from tests.services.conftest import World
from tests.ui.walk import set_up_and_confirm
from ui.main_window import MainWindow
from ui.pages import lazy_pages
from ui.ui_settings import UiSettings
from ui.widgets.lazy_page import LazyPage

pytestmark = pytest.mark.gui

ADMIN, PASSWORD = "admin", "secret123"  # the template database's administrator (tests/services/conftest.py)


class ScriptedUser:
    """Types into the login dialog as it appears, one password per attempt, and records what it saw."""

    def __init__(self, passwords: list[str]) -> None:
        self.passwords = passwords
        self.seen: list[dict[str, object]] = []
        self.window: MainWindow | None = None

    def dialog_class(self) -> type[ui_app.LoginDialog]:
        user = self

        class Scripted(ui_app.LoginDialog):
            def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
                super().showEvent(event)
                QTimer.singleShot(0, self.attempt)

            def attempt(self) -> None:
                password = user.passwords.pop(0)
                self.username.setText(ADMIN)
                self.password.setText(password)
                self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
                windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
                accepted = self.result() == self.DialogCode.Accepted
                user.seen.append({"password": password, "error": self.error.text(), "windows": len(windows),
                                  "accepted": accepted})
                if accepted:
                    user.window = windows[0] if windows else None
                else:
                    # the next password, or 退出 when there is none left
                    QTimer.singleShot(0, self.attempt if user.passwords else self.reject)

        return Scripted


def _account(path: Path) -> tuple[int, str | None]:
    with sqlite3.connect(str(path)) as conn:
        return conn.execute("SELECT failed_logins, locked_until FROM user_account WHERE username = ?",
                            (ADMIN,)).fetchone()


def _audit_count(path: Path) -> int:
    with sqlite3.connect(str(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_event").fetchone()[0])


def _settle(qtbot: QtBot) -> int:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    qtbot.waitUntil(lambda: all(w.attached for w in windows), timeout=30_000)
    qtbot.wait(200)  # the housekeeping timer fires (every 50 ms) once everything has loaded
    return 0


@pytest.fixture
def start(qapp: QApplication, qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Callable[[list[str]], tuple[int, ScriptedUser]]:
    """Runs cli.gui.run_gui on a copy of the test database with a scripted user; returns (exit code, user)."""
    assert world.db.path is not None
    db_path = world.db.path
    world.db.dispose()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs the crash handler
    # The window is shown, then the user would work in it: instead of the event loop, the test lets the window
    # attach what loaded in the background (and the housekeeping start), then returns.
    monkeypatch.setattr(QApplication, "exec", lambda _self: _settle(qtbot))
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))

    crashes: list[Path | None] = []  # a bug would open the crash dialog and wait for a click: record it instead
    real_handler = ui_app.CrashHandler
    monkeypatch.setattr(ui_app, "CrashHandler", lambda path: real_handler(path, show_dialog=crashes.append))

    def run(passwords: list[str]) -> tuple[int, ScriptedUser]:
        user = ScriptedUser(passwords)
        monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
        code = entry.run_gui(db_path)
        assert crashes == []
        if user.window is not None:
            user.window.close()
            user.window.deleteLater()
        return code, user

    return run


def test_clean_login_opens_the_home_page_and_writes_nothing(start: Callable[..., tuple[int, ScriptedUser]],
                                                            world: World) -> None:
    assert world.db.path is not None
    audit = _audit_count(world.db.path)
    code, user = start([PASSWORD])
    assert code == 0 and user.seen == [{"password": PASSWORD, "error": "", "windows": 1, "accepted": True}]
    window = user.window
    assert window is not None and window.ctx.user is not None and window.ctx.user.username == ADMIN
    assert "今日待办" in window.home.title.text()
    # 同步 and 设置 are built when first shown; the 设置 screen still closes the window after a restore.
    settings = window.pages["settings"]
    assert isinstance(settings, LazyPage) and settings.page is None
    window.show_page("settings")
    assert settings.page is not None and settings.page.windowTitle() == "设置"
    assert _audit_count(world.db.path) == audit  # a clean login writes nothing
    backups = list((world.db.path.parent / "backups").glob("*-daily.sqlite3"))
    assert len(backups) == 1  # the daily backup ran after the window was shown (and finished before exit)


def test_wrong_password_is_counted_and_shows_no_window(start: Callable[..., tuple[int, ScriptedUser]],
                                                       world: World) -> None:
    assert world.db.path is not None
    code, user = start(["wrong-pass1", PASSWORD])
    first, second = user.seen
    assert first == {"password": "wrong-pass1", "error": "用户名或密码错误", "windows": 0, "accepted": False}
    assert second["accepted"] and second["windows"] == 1 and code == 0
    # The failure was counted by services.people.accounts (then cleared by the successful login through it).
    assert _account(world.db.path) == (0, None)


def test_five_wrong_passwords_lock_the_account(start: Callable[..., tuple[int, ScriptedUser]], world: World) -> None:
    assert world.db.path is not None
    code, user = start(["wrong-pass1"] * 5 + [PASSWORD])
    assert [s["accepted"] for s in user.seen] == [False] * 6 and code == 0
    assert "锁定" in str(user.seen[-1]["error"]) and user.window is None
    assert _account(world.db.path)[1] is not None  # locked_until


def test_a_restore_in_the_lazily_built_settings_screen_still_closes_the_window(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    from ui.forms import default_creators
    from ui.pages import lazy_pages
    from ui.qt_compat import emit

    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = ui_app._main_window(settings, parts=ui_app.GuiParts(ctx, default_creators()), pages=lazy_pages)
    qtbot.addWidget(window)
    window.show()
    page = window.pages["settings"]
    assert isinstance(page, LazyPage) and page.page is None
    window.show_page("settings")
    assert page.page is not None and hasattr(page.page, "restored")
    emit(page.page.restored, object())  # what BackupTab emits after a restore replaced the database
    assert not window.isVisible()


def test_first_start_on_a_new_database_runs_the_wizard_then_logs_in(
        qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication, "exec", lambda _self: _settle(qtbot))
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))

    class Wizard(ui_app.FirstRunDialog):
        def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
            super().showEvent(event)
            self.township.setText("石板镇")
            self.squad.setText("石板镇综合行政执法中队")
            self.password.setText("Shiban2026")
            self.password2.setText("Shiban2026")
            QTimer.singleShot(0, lambda: set_up_and_confirm(self))

    user = ScriptedUser(["Shiban2026"])
    monkeypatch.setattr(ui_app, "FirstRunDialog", Wizard)
    monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
    db_path = tmp_path / "new" / "enforcedesk.sqlite3"
    assert entry.run_gui(db_path) == 0
    assert user.seen == [{"password": "Shiban2026", "error": "", "windows": 1, "accepted": True}]
    assert user.window is not None and user.window.ctx.user is not None
    user.window.close()
    user.window.deleteLater()
    assert _account(db_path) == (0, None)


# -- the window before the rest has loaded ------------------------------------------------------------------


def _gated(db_path: Path, gate: threading.Event, *, fail: bool = False) -> Callable[[Callable[[], None]], object]:
    """main.py's loader, held back until the test opens ``gate`` (a slow PC still loading); or failing then."""
    real = entry.gui_loader(db_path)

    def load(checkpoint: Callable[[], None]) -> object:
        assert gate.wait(30)
        if fail:
            raise AppError("数据库文件已损坏，无法打开")
        return real(checkpoint)

    return load


@pytest.fixture
def early(qapp: QApplication, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A township database at this program's revision, closed by the test's own world; UI state in tmp_path."""
    assert world.db.path is not None
    world.db.dispose()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))
    assert quick_login.probe(world.db.path).township_at_head  # so the start below takes the early path
    return world.db.path


def test_the_home_page_is_shown_before_the_rest_has_loaded_and_a_click_waits_for_it(
        early: Path, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    seen: dict[str, object] = {}

    def user_works(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.wait(100)  # the window's poll runs: nothing has loaded, so nothing is attached
        seen["attached_before"] = window.attached
        seen["title_before"] = window.home.title.text()
        seen["rows_before"] = window.home.table.rowCount()
        seen["window_title"] = window.windowTitle()
        gate.set()
        window.show_page("officers")  # the user clicks a list: it waits for the loading, then opens
        seen["attached_after"] = window.attached
        seen["user"] = window.ctx.user.username if window.ctx and window.ctx.user else None
        seen["officers"] = window.lists["officers"].model.total
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", user_works)
    user = ScriptedUser([PASSWORD])
    monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
    assert ui_app.run_gui(early, _gated(early, gate), pages=lazy_pages) == 0

    # What the early 工作台 showed is what the services read through the ORM for that day.
    ctx = AppContext(Database.open(early), world.clock)
    try:
        expected = home_snapshot(ctx.reader())
        officers = queries.list_page(ctx.reader(), "officers", queries.ListQuery()).total
    finally:
        ctx.db.dispose()
    assert seen["attached_before"] is False and seen["attached_after"] is True and seen["user"] == ADMIN
    assert f"{expected.page.total} 项将在两周内到期" in str(seen["title_before"])
    assert seen["rows_before"] == len(expected.page.items) > 0
    assert str(seen["window_title"]).endswith("— 管理员（中队长）")  # the template's administrator and role
    assert seen["officers"] == officers > 0


def test_a_wrong_password_on_the_early_path_shows_no_window_and_is_counted(
        early: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    gate.set()
    monkeypatch.setattr(QApplication, "exec", lambda _self: _settle(qtbot))
    user = ScriptedUser(["wrong-pass1"])
    monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
    assert ui_app.run_gui(early, _gated(early, gate), pages=lazy_pages) == 0
    assert user.seen == [{"password": "wrong-pass1", "error": "用户名或密码错误", "windows": 0, "accepted": False}]
    assert _account(early) == (1, None)  # counted by services.people.accounts, as on the full path


def test_a_loading_failure_after_the_window_is_shown_is_reported_and_closes_it(
        early: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    messages: list[str] = []
    monkeypatch.setattr(ui_main_window.QMessageBox, "critical",
                        lambda _parent, _title, text: messages.append(text))
    seen: dict[str, bool] = {}

    def user_works(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        gate.set()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)  # the window's poll finds the failure
        seen["attached"] = window.attached
        return 0

    monkeypatch.setattr(QApplication, "exec", user_works)
    user = ScriptedUser([PASSWORD])
    monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
    assert ui_app.run_gui(early, _gated(early, gate, fail=True), pages=lazy_pages) == 0
    assert messages == ["数据库文件已损坏，无法打开"] and seen == {"attached": False}


@pytest.mark.qt_no_exception_capture  # the exception must reach sys.excepthook, where run_gui's crash handler is
def test_an_unexpected_loading_failure_closes_the_early_window_through_the_crash_handler(
        early: Path, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not an AppError (a locked or damaged file, a broken install): the crash dialog, and no half-working window
    left open whose every click would fail again."""
    gate = threading.Event()
    real = entry.gui_loader(early)

    def load(checkpoint: Callable[[], None]) -> object:
        assert gate.wait(30)
        checkpoint()
        raise RuntimeError("disk I/O error")

    assert real is not None  # the real loader is not used: the failure comes first
    crashes: list[Path | None] = []
    real_handler = ui_app.CrashHandler
    monkeypatch.setattr(ui_app, "CrashHandler", lambda path: real_handler(tmp_path / "crash.log",
                                                                           show_dialog=crashes.append))
    seen: dict[str, bool] = {}

    def user_works(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        gate.set()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
        seen["attached"] = window.attached
        return 0

    monkeypatch.setattr(QApplication, "exec", user_works)
    user = ScriptedUser([PASSWORD])
    monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
    assert ui_app.run_gui(early, load, pages=lazy_pages) == 0
    assert seen == {"attached": False} and crashes == [tmp_path / "crash.log"]
    assert "disk I/O error" in (tmp_path / "crash.log").read_text(encoding="utf-8")


def test_a_password_given_to_the_user_is_replaced_before_the_window_opens(
        start: Callable[..., tuple[int, ScriptedUser]], world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up's quick path leaves such an account to the full login, which asks for the new password first."""
    from services.core.uow import UnitOfWork
    from services.people.accounts import login, reset_password
    from ui import password_dialog

    assert world.db.path is not None
    reset_password(world.uow(), ADMIN, password=PASSWORD)  # as the squad leader resets it: to be changed
    assert quick_login.clean_account(world.db.path, ADMIN) is None
    shown: list[tuple[bool, int]] = []

    class NewPassword(password_dialog.ChangePasswordDialog):
        def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
            super().showEvent(event)
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            shown.append((self.old.isHidden(), len(windows)))  # the password just typed is not asked again
            self.new.setText("Mine2026pw")
            self.new2.setText("Mine2026pw")
            QTimer.singleShot(0, self.submit)

    monkeypatch.setattr(password_dialog, "ChangePasswordDialog", NewPassword)
    code, user = start([PASSWORD])
    assert code == 0 and user.seen[0]["accepted"] and user.window is not None
    assert shown == [(True, 0)]  # asked once, before any window was shown
    assert quick_login.clean_account(world.db.path, ADMIN) is not None  # nothing left to change
    database = Database.open(world.db.path)
    try:
        assert not login(UnitOfWork(database, actor="t"), ADMIN, "Mine2026pw").must_change_password
        with pytest.raises(AppError):
            login(UnitOfWork(database, actor="t"), ADMIN, PASSWORD)
    finally:
        database.dispose()


def test_returning_from_the_new_password_keeps_the_login_dialog(
        start: Callable[..., tuple[int, ScriptedUser]], world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.people.accounts import reset_password
    from ui import password_dialog

    assert world.db.path is not None
    reset_password(world.uow(), ADMIN, password=PASSWORD)

    class GoBack(password_dialog.ChangePasswordDialog):
        def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
            super().showEvent(event)
            QTimer.singleShot(0, self.reject)  # 返回登录

    monkeypatch.setattr(password_dialog, "ChangePasswordDialog", GoBack)
    code, user = start([PASSWORD])
    assert code == 0 and user.window is None
    assert user.seen == [{"password": PASSWORD, "error": "须先设置新密码才能登录", "windows": 0, "accepted": False}]
