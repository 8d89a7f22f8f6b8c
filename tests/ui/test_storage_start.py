"""Storage trouble at the desktop start: its own Chinese message and a way on (retry, read-only with a banner,
another file), never the crash dialog (issue 13 point 3); a ``--db`` file that does not exist is created only
after the user agrees (point 4). Driven through cli.gui.run_gui as main.py starts it, the user's clicks scripted.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

import cli.gui as entry
import main
import ui.app as ui_app
import ui.storage_dialog as storage_dialog
from services.core.db import copy_sqlite
from services.core.errors import AppError
from services.core.storage import check_file
from services.people.registry import set_officer_active
from tests.services.conftest import World
from tests.storage_helpers import fill, lock_held, make_read_only, mounted_tmpfs
from tests.ui.test_startup import PASSWORD, ScriptedUser, _settle
from ui.main_window import MainWindow
from ui.ui_settings import UiSettings

pytestmark = pytest.mark.gui


class ScriptedChoices:
    """Presses one button per problem dialog, in order, and records what each dialog said and offered."""

    def __init__(self, choices: list[str], *, between: Callable[[int], None] | None = None) -> None:
        self.choices = choices
        self.between = between  # called with the dialog's number before its button is pressed
        self.seen: list[tuple[str, list[str]]] = []

    def dialog_class(self) -> type[storage_dialog.StorageProblemDialog]:
        script = self

        class Scripted(storage_dialog.StorageProblemDialog):
            def showEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
                super().showEvent(event)
                QTimer.singleShot(0, self.press)

            def press(self) -> None:
                script.seen.append((self.message.text(), [b.text() for b in self.buttons.values()]))
                if script.between is not None:
                    script.between(len(script.seen))
                self.buttons[script.choices.pop(0)].click()

        return Scripted


@pytest.fixture
def desk(qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[Callable[..., tuple[int, ScriptedUser, ScriptedChoices]]]:
    """run_gui on a path with scripted choices and a scripted login; no crash dialog may appear."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication, "exec", lambda _self: _settle(qtbot))
    ini = str(tmp_path / "ui.ini")
    monkeypatch.setattr(ui_app, "UiSettings", lambda: UiSettings(QSettings(ini, QSettings.Format.IniFormat)))
    crashes: list[Path | None] = []
    boxes: list[str] = []  # a message box would wait for a click: record it instead (none is expected)
    monkeypatch.setattr(ui_app.QMessageBox, "critical", lambda *args: boxes.append(str(args[2])))
    monkeypatch.setattr(ui_app.QMessageBox, "warning", lambda *args: boxes.append(str(args[2])))
    real_handler = ui_app.CrashHandler
    monkeypatch.setattr(ui_app, "CrashHandler", lambda path: real_handler(path, show_dialog=crashes.append))
    windows = []

    def run(path: Path, choices: list[str], *, passwords: list[str] | None = None, named: bool = True,
            pick: Path | None = None, between: Callable[[int], None] | None = None,
            start: Callable[[], int] | None = None) -> tuple[int, ScriptedUser, ScriptedChoices]:
        script = ScriptedChoices(choices, between=between)
        user = ScriptedUser(passwords if passwords is not None else [PASSWORD])
        monkeypatch.setattr(storage_dialog, "StorageProblemDialog", script.dialog_class())
        monkeypatch.setattr(ui_app, "LoginDialog", user.dialog_class())
        monkeypatch.setattr(storage_dialog.QFileDialog, "getOpenFileName",
                            lambda *_args: (str(pick) if pick else "", ""))
        code = start() if start is not None else entry.run_gui(path, named=named)
        assert crashes == [] and boxes == []
        if user.window is not None:
            windows.append(user.window)
        return code, user, script

    yield run
    for window in windows:
        if window.ctx is not None:
            window.ctx.db.dispose()
        window.close()
        window.deleteLater()


@pytest.fixture
def good(world: World, tmp_path: Path) -> Path:
    """The test township's database, closed: what the user picks when told the first file cannot be used."""
    assert world.db.path is not None
    world.db.dispose()
    return world.db.path


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "stick") as point:
        yield point


def test_not_a_database_then_another_file(desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]],
                                          good: Path, tmp_path: Path) -> None:
    text = tmp_path / "letter.sqlite3"
    text.write_text("一封信，不是数据库" * 30, encoding="utf-8")
    code, user, script = desk(text, ["other"], pick=good)
    assert code == 0
    message, offered = script.seen[0]
    assert "不是 EnforceDesk 的数据库文件" in message and "只读打开" not in offered and "选择其他文件…" in offered
    assert user.window is not None and user.window.ctx is not None
    assert user.window.ctx.db.path == good


def test_a_database_from_a_newer_program_is_refused_with_the_reason(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], good: Path) -> None:
    with sqlite3.connect(str(good)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, user, script = desk(good, ["quit"])
    assert code == 0 and user.seen == [] and user.window is None
    message, offered = script.seen[0]
    assert "数据库版本 9999 比本程序新，请升级 EnforceDesk 后再打开" in message and "只读打开" not in offered
    with sqlite3.connect(str(good)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"  # untouched


def test_a_damaged_database_offers_no_way_into_it(desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]],
                                                  good: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(good.read_bytes()[:2048])
    code, user, script = desk(broken, ["quit"])
    assert code == 0 and user.seen == [] and user.window is None
    assert "已损坏" in script.seen[0][0] and "只读打开" not in script.seen[0][1]


def test_read_only_media_opens_read_only_with_a_banner_and_refuses_writes(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], good: Path, stick: Path) -> None:
    path = copy_sqlite(good, stick / "township.sqlite3")
    make_read_only(stick)
    code, user, script = desk(path, ["read_only"])
    assert code == 0
    message, offered = script.seen[0]
    assert "只能读取、不能写入" in message and "只读打开" in offered
    window = user.window
    assert window is not None and window.ctx is not None
    banner = window.findChild(QLabel, "readOnlyBanner")
    assert banner is not None and banner.isVisible() and "不能保存任何修改" in banner.text()
    assert "只能读取" in banner.text() and window.windowTitle().endswith("（只读）")
    window.show_page("officers")
    assert window.lists["officers"].model.total > 0  # the lists read as usual
    with pytest.raises(AppError, match="只读打开") as refused:
        set_officer_active(window.ctx.uow(), "张三", False)
    assert "不能保存修改" in refused.value.message


def test_a_full_disk_can_be_opened_read_only(desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]],
                                             good: Path, stick: Path) -> None:
    path = copy_sqlite(good, stick / "township.sqlite3")
    fill(stick)
    code, user, script = desk(path, ["read_only"])
    assert code == 0 and "磁盘已满" in script.seen[0][0]
    assert user.window is not None
    banner = user.window.findChild(QLabel, "readOnlyBanner")
    assert banner is not None and "磁盘已满" in banner.text()


def test_a_locked_database_is_retried_until_it_is_free(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], good: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the start-up waits 2 s for the lock before saying the file is busy: the same path at 0.2 s
    monkeypatch.setattr(storage_dialog, "check_file", functools.partial(check_file, timeout_s=0.2))
    with lock_held(good) as holder:

        def release_after_the_second(number: int) -> None:
            if number == 2:  # the other program finishes while the user reads the second message
                holder.release()

        code, user, script = desk(good, ["retry", "retry"], between=release_after_the_second)
    assert code == 0 and len(script.seen) == 2
    assert all("正被另一个程序占用" in message and "重试" in offered for message, offered in script.seen)
    assert user.window is not None and user.window.findChild(QLabel, "readOnlyBanner") is None


def test_a_named_file_that_does_not_exist_is_not_created_without_asking(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], tmp_path: Path) -> None:
    typo = tmp_path / "enforcedsk.sqlite3"
    code, user, script = desk(typo, ["quit"])
    assert code == 0 and user.seen == [] and not typo.exists()
    message, offered = script.seen[0]
    assert "不存在" in message and "新建数据库" in offered


def test_a_named_file_that_does_not_exist_can_be_swapped_for_the_right_one(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], good: Path, tmp_path: Path) -> None:
    typo = tmp_path / "enforcedsk.sqlite3"
    code, user, _script = desk(typo, ["other"], pick=good)
    assert code == 0 and not typo.exists()
    assert user.window is not None and user.window.ctx is not None and user.window.ctx.db.path == good


def test_a_bundle_opened_from_outside_opens_the_sync_import_preview(
        desk: Callable[..., tuple[int, ScriptedUser, ScriptedChoices]], good: Path, tmp_path: Path,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """``main.py --db DB FILE.edsync`` (a double-clicked bundle): the 同步 page checks the file, imports nothing."""
    bundle = tmp_path / "enforcedesk-A1B2-to-C3D4-00001.edsync"
    bundle.write_bytes(b"PK\x03\x04 not really a bundle")
    seen: dict[str, object] = {}

    def user_looks(_app: QApplication) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: window.pages["sync"].page is not None, timeout=30_000)  # type: ignore[attr-defined]
        page = window.pages["sync"].page  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: page.import_message.text() not in ("", "正在校验同步包…"), timeout=30_000)
        seen.update(current=window.stack.currentWidget() is window.pages["sync"], message=page.import_message.text(),
                    applicable=page.apply_button.isEnabled())
        return 0

    monkeypatch.setattr(QApplication, "exec", user_looks)
    code, user, script = desk(good, [], start=lambda: main.main(["--db", str(good), str(bundle)]))
    assert code == 0 and script.seen == [] and user.window is not None
    assert seen["current"] is True and seen["applicable"] is False
    assert seen["message"] and "正在校验" not in str(seen["message"])


def test_the_banner_stays_after_switching_user(qapp: QApplication, good: Path, qtbot: QtBot,
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every window on a read-only database has the banner: the one built after 切换用户 too (ui/compose.py)."""
    from services.core.context import AppContext
    from services.core.db import Database
    from ui.compose import main_window

    ctx = AppContext(Database.open(good, read_only="磁盘已满"))
    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    try:
        window = main_window(ctx, ui_settings=settings)
        banner = window.findChild(QLabel, "readOnlyBanner")
        assert banner is not None and "磁盘已满" in banner.text()
        storage_dialog.add_read_only_banner(window, "磁盘已满")  # the start-up adds it too: still one
        assert len(window.findChildren(QLabel, "readOnlyBanner")) == 1
        window.close()
        window.deleteLater()
    finally:
        ctx.db.dispose()
