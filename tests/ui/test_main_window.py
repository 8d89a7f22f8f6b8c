"""The placeholder MainWindow against fake summary providers, and the crash handler run_gui installs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.errors import AppError
from ui.app import CrashHandler, register_bundled_fonts
from ui.main_window import MainWindow

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "main_window_placeholder.png"


def _rows() -> list[tuple[str, str]]:
    return [("乡镇", "竹根镇"), ("检查记录", "12")]


def _table_rows(window: MainWindow) -> list[tuple[str, str]]:
    table = window.summary_table
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


@pytest.mark.gui
def test_shows_summary_rows_and_title(qtbot: QtBot) -> None:
    window = MainWindow("/tmp/enforcedesk.sqlite3", _rows)
    qtbot.addWidget(window)

    assert _table_rows(window) == [("乡镇", "竹根镇"), ("检查记录", "12")]
    assert "乡镇综合执法工作台" in window.windowTitle()
    assert "/tmp/enforcedesk.sqlite3" in window.db_label.text()
    assert window.statusBar().currentMessage() == ""


@pytest.mark.gui
def test_app_error_from_provider_goes_to_status_bar(qtbot: QtBot) -> None:
    def failing() -> list[tuple[str, str]]:
        raise AppError("数据库尚未初始化")

    window = MainWindow("db", failing)
    qtbot.addWidget(window)

    assert window.statusBar().currentMessage() == "数据库尚未初始化"
    assert window.summary_table.rowCount() == 0


@pytest.mark.gui
def test_refresh_after_error_clears_message(qtbot: QtBot) -> None:
    answers: list[Exception | list[tuple[str, str]]] = [AppError("数据库尚未初始化"), _rows()]

    def provider() -> list[tuple[str, str]]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    window = MainWindow("db", provider)
    qtbot.addWidget(window)
    window.refresh()

    assert window.statusBar().currentMessage() == ""
    assert window.summary_table.rowCount() == 2


@pytest.mark.gui
def test_quit_action_closes_window(qtbot: QtBot) -> None:
    window = MainWindow("db", _rows)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.quit_action.trigger()
    assert not window.isVisible()


@pytest.mark.gui
def test_window_renders(qtbot: QtBot) -> None:
    window = MainWindow(str(Path("~/.local/share/EnforceDesk/enforcedesk.sqlite3")), _rows)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    pixmap = window.grab()

    assert not pixmap.isNull()
    if os.environ.get("ENFORCEDESK_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert pixmap.save(str(SCREENSHOT), "PNG")


# -- run_gui's helpers ------------------------------------------------------------------------------


def _raise_and_handle(handler: CrashHandler, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        handler(*sys.exc_info())  # type: ignore[arg-type]


@pytest.mark.gui
def test_crash_handler_logs_every_error_and_shows_one_dialog(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", lambda *_: None)  # keep the expected tracebacks off stderr
    shown: list[Path | None] = []
    log_path = tmp_path / "logs" / "crash.log"
    handler = CrashHandler(log_path, show_dialog=shown.append)
    handler.install()
    try:
        assert sys.excepthook is handler
        _raise_and_handle(handler, RuntimeError("first bug"))
        _raise_and_handle(handler, ValueError("second bug"))
    finally:
        handler.uninstall()

    text = log_path.read_text(encoding="utf-8")
    assert "RuntimeError: first bug" in text and "ValueError: second bug" in text
    assert shown == [log_path]
    assert sys.excepthook is not handler


@pytest.mark.gui
def test_crash_handler_without_writable_log_still_tells_the_user(qapp: QApplication, tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    shown: list[Path | None] = []
    handler = CrashHandler(blocker / "crash.log", show_dialog=shown.append)
    handler._previous = lambda *_: None

    _raise_and_handle(handler, RuntimeError("bug"))

    assert shown == [None]


def test_no_bundled_fonts_is_not_an_error(tmp_path: Path) -> None:
    assert register_bundled_fonts(tmp_path / "missing") == []
